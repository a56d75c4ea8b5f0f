"""The code that serves the book's pages: one module per chapter, named after it.

The rule, learnt once:

* code one chapter uses lives in that chapter's module,
  ``synergylib/chapters/<chapter>.py`` for ``notebooks/NN_<chapter>.py``
  (:mod:`~synergylib.chapters.data` for ``01_data``, :mod:`~synergylib.chapters.nmf`
  for ``03_nmf``, ...);
* code the pipeline or two chapters use lives in a method module, ``synergylib/*.py``;
* method modules never import chapter modules (``tests/test_layout.py`` checks it).

A chapter imports its own module under one alias: ``from synergylib.chapters import nmf as chapter``.
"""
