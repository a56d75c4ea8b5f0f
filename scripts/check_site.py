#!/usr/bin/env python
"""Check a built Jupyter Book site the way a reader would see it.

Every HTML page of the site is rendered in headless Chromium (``--dump-dom``
gives the DOM after the page's scripts ran; ``--screenshot`` a PNG per page when
``--screenshots DIR`` is given). The rendered DOM is parsed with the standard
library's :mod:`html.parser` and the check FAILS (exit status 1, one line per
problem) when a page has

* an ``<img>`` whose file is missing, is not a valid PNG/SVG/JPEG/GIF/WebP, or
  is fetched from the network (the book must work offline);
* a ``<link>``/``<script>`` resource that does not exist;
* an error output: a traceback cell (``output traceback`` / ``output error``),
  papermill's "An Exception was encountered" banner, a docutils
  ``system-message`` or the text ``Traceback (most recent call last)``;
* a broken internal link: an ``href`` to a local file that does not exist, that
  leaves the site, or to an ``#anchor`` that the target page does not have;
* no figure where one is expected: every chapter page (``NN_name.html``) except
  those named with ``--no-figure`` (default: ``00_introduction`` and the
  appendix's ``10_glossary``) must show at
  least one image produced by the notebooks (``_images/...`` or a data URI);
* a figure without a number: on those chapter pages every such image must sit in
  a ``<figure>`` whose caption carries its number (Sphinx's ``caption-number``,
  "Fig. 4.2"): the chapters caption their figures through myst-nb's cell metadata
  (``mystnb: figure: caption``).

The report gives, per page and in total, the figures and the numbered captions.

Chromium runs offline: every host name resolves to nothing, so the check also
shows what a reader without network sees.

Usage::

    python scripts/check_site.py _build/html --screenshots build/screenshots/full
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    # Offline: no host name resolves (the site is read from file://).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)
SKIPPED_DIRS = ("_static", "_sources", "_images", "_downloads")
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "ftp", "javascript")
ERROR_CLASSES = ("traceback", "system-message")
ERROR_TEXTS = ("Traceback (most recent call last)", "An Exception was encountered at")
DEFAULT_FIGURE_PAGES = r"(^|/)\d\d_[^/]*\.html$"
#: The numbered pages that show no figure: the introduction and the glossary.
NO_FIGURE_PAGES = ("00_introduction", "10_glossary")


# --------------------------------------------------------------------------- parsing


@dataclass
class PageDom:
    """What the check needs from one page's DOM."""

    ids: set[str] = field(default_factory=set)
    anchors: list[str] = field(default_factory=list)
    resources: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    images: list[str] = field(default_factory=list)
    #: per image, the index of the <figure> it sits in (None: in none)
    image_figures: list[int | None] = field(default_factory=list)
    #: the <figure> elements whose caption carries a number (Sphinx's caption-number)
    numbered_figures: set[int] = field(default_factory=set)
    error_classes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    refresh: str | None = None


class _DomParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dom = PageDom()
        self._skip_text = 0
        self._figures: list[int] = []  # open <figure> elements, innermost last
        self._n_figures = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: (value or "") for name, value in attrs}
        if "id" in attributes:
            self.dom.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.dom.ids.add(attributes["name"])
        classes = attributes.get("class", "").split()
        if any(c in ERROR_CLASSES for c in classes) or (
            "output" in classes and "error" in classes
        ):
            self.dom.error_classes.append(" ".join(classes))
        if tag == "a" and "href" in attributes:
            self.dom.anchors.append(attributes["href"])
        elif tag == "img":
            self.dom.images.append(attributes.get("src", ""))
            self.dom.image_figures.append(self._figures[-1] if self._figures else None)
        elif tag == "figure":
            self._figures.append(self._n_figures)
            self._n_figures += 1
        elif tag == "span" and "caption-number" in classes and self._figures:
            self.dom.numbered_figures.add(self._figures[-1])
        elif tag == "link" and attributes.get("href"):
            rel = attributes.get("rel", "").lower()
            if any(r in rel for r in ("stylesheet", "icon", "preload")):
                self.dom.resources.append((tag, attributes["href"]))
        elif tag == "script" and attributes.get("src"):
            self.dom.resources.append((tag, attributes["src"]))
        elif tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*(\S+)", attributes.get("content", ""), re.I)
            if match:
                self.dom.refresh = match.group(1).strip("'\"")
        if tag in ("script", "style"):
            self._skip_text += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip_text -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip_text:
            self._skip_text -= 1
        elif tag == "figure" and self._figures:
            self._figures.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip_text and data.strip():
            self.dom.text.append(data)


def parse_dom(html: str) -> PageDom:
    """Parse an HTML document into a :class:`PageDom`."""
    parser = _DomParser()
    parser.feed(html)
    parser.close()
    return parser.dom


# --------------------------------------------------------------------------- images


def image_problem(data: bytes, name: str) -> str | None:
    """``None`` if ``data`` is a readable, non-empty image, else what is wrong."""
    if not data:
        return f"image {name} is empty"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return f"image {name} is a truncated PNG"
        width, height = struct.unpack(">II", data[16:24])
        if width == 0 or height == 0:
            return f"image {name} is a {width}x{height} PNG"
        return None
    if data.startswith(b"\xff\xd8\xff") or data[:6] in (b"GIF87a", b"GIF89a"):
        return None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return None
    head = data[:2048].lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!DOCTYPE svg", b"<!--")):
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            return f"image {name} is an unreadable SVG ({error})"
        if not root.tag.endswith("svg"):
            return f"image {name} is XML but not SVG (root <{root.tag}>)"
        return None
    return f"image {name} is not a PNG, SVG, JPEG, GIF or WebP file"


def data_uri_bytes(uri: str) -> bytes:
    header, _, payload = uri.partition(",")
    if header.endswith(";base64"):
        return base64.b64decode(payload)
    return unquote(payload).encode()


# --------------------------------------------------------------------------- chromium


def find_chromium(name: str | None) -> str | None:
    for candidate in (name, os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def run_chromium(chromium: str, profile_dir: str, args: list[str], timeout: float) -> subprocess.CompletedProcess:
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", *args]
    return subprocess.run(command, capture_output=True, timeout=timeout)


def render(chromium: str, profile_dir: str, page: Path, timeout: float,
           screenshot: Path | None = None, window: str = "1280,2000") -> tuple[str, str | None]:
    """Rendered DOM of ``page`` and, if asked, a screenshot (one Chromium run).

    Returns ``(dom, screenshot_problem)``; raises ``RuntimeError`` when Chromium
    cannot render the page at all.
    """
    args = ["--dump-dom"]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        if screenshot.exists():
            screenshot.unlink()
        args += [f"--screenshot={screenshot}", f"--window-size={window}"]
    result = run_chromium(chromium, profile_dir, [*args, page.resolve().as_uri()], timeout)
    dom = result.stdout.decode("utf-8", errors="replace")
    if result.returncode != 0 or "<html" not in dom.lower():
        tail = result.stderr.decode("utf-8", errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"chromium could not render it (exit {result.returncode}): {' | '.join(tail)}")
    problem = None
    if screenshot is not None:
        if not screenshot.exists():
            problem = "Chromium wrote no screenshot"
        else:
            problem = image_problem(screenshot.read_bytes(), str(screenshot))
    return dom, problem


# --------------------------------------------------------------------------- the check


class Site:
    """The built site on disk, with a cache of the ids each page defines."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._ids: dict[Path, set[str]] = {}

    def pages(self) -> list[Path]:
        found = []
        for path in sorted(self.root.rglob("*.html")):
            relative = path.relative_to(self.root)
            if relative.parts and relative.parts[0] in SKIPPED_DIRS:
                continue
            found.append(path)
        return found

    def ids_of(self, page: Path) -> set[str]:
        page = page.resolve()
        if page not in self._ids:
            self._ids[page] = parse_dom(page.read_text(encoding="utf-8", errors="replace")).ids
        return self._ids[page]

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def _is_external(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return url.startswith("//") or scheme in EXTERNAL_SCHEMES


def _local_target(site: Site, page: Path, url: str) -> tuple[Path | None, str, str | None]:
    """Resolve a local URL: (file or None for same page, fragment, problem)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return None, parts.fragment, f"link to an absolute file:// path {url!r}"
    if not parts.path:
        return None, unquote(parts.fragment), None
    target = (page.parent / unquote(parts.path)).resolve()
    try:
        target.relative_to(site.root)
    except ValueError:
        return target, parts.fragment, f"link {url!r} leaves the site"
    if target.is_dir():
        target = target / "index.html"
    if not target.exists():
        return target, parts.fragment, f"link {url!r}: {site.relative(target)} does not exist"
    return target, unquote(parts.fragment), None


def check_page(site: Site, page: Path, dom: PageDom, needs_figure: bool) -> tuple[list[str], int, int]:
    """Problems of one page, its number of figures and of those with a numbered caption."""
    problems: list[str] = []
    own_ids = dom.ids | site.ids_of(page)

    # Error outputs.
    for classes in dom.error_classes:
        problems.append(f"error output on the page (element class {classes!r})")
    text = " ".join(dom.text)
    for marker in ERROR_TEXTS:
        if marker in text:
            problems.append(f"error text on the page: {marker!r}")

    # Links.
    for url in dom.anchors + ([dom.refresh] if dom.refresh else []):
        if not url or url == "#" or _is_external(url) or url.startswith("data:"):
            continue
        target, fragment, problem = _local_target(site, page, url)
        if problem:
            problems.append(problem)
            continue
        if fragment:
            ids = own_ids if target is None else site.ids_of(target)
            if fragment not in ids:
                where = "this page" if target is None else site.relative(target)
                problems.append(f"link {url!r}: no anchor #{fragment} on {where}")

    # Stylesheets and scripts.
    for tag, url in dom.resources:
        if _is_external(url) or url.startswith("data:"):
            continue
        target, _, problem = _local_target(site, page, url)
        if problem:
            problems.append(f"<{tag}> {problem}")

    # Images.
    figures = numbered = 0
    unnumbered = 0

    def count(figure: int | None) -> None:
        nonlocal figures, numbered, unnumbered
        figures += 1
        if figure is not None and figure in dom.numbered_figures:
            numbered += 1
        else:
            unnumbered += 1

    for src, figure in zip(dom.images, dom.image_figures):
        if not src:
            problems.append("<img> without src")
            continue
        if src.startswith("data:"):
            try:
                problem = image_problem(data_uri_bytes(src), "(data URI)")
            except (ValueError, TypeError) as error:
                problem = f"image data URI cannot be decoded ({error})"
            if problem:
                problems.append(problem)
            else:
                count(figure)
            continue
        if _is_external(src):
            problems.append(f"image {src!r} is fetched from the network (the book must work offline)")
            continue
        target, _, problem = _local_target(site, page, src)
        if problem:
            problems.append(f"missing image: {problem}")
            continue
        problem = image_problem(target.read_bytes(), site.relative(target))
        if problem:
            problems.append(problem)
        elif "_images" in target.relative_to(site.root).parts:
            count(figure)
    if needs_figure and figures == 0:
        problems.append("no figure on a chapter page that must have one")
    if needs_figure and unnumbered:
        problems.append(f"{unnumbered} figure(s) without a numbered caption (cell metadata "
                        "mystnb: figure: caption)")
    return problems, figures, numbered


def check_site(
    html_dir: Path,
    *,
    screenshots: Path | None = None,
    chromium: str | None = None,
    render_pages: bool = True,
    jobs: int = 2,
    figure_pages: str = DEFAULT_FIGURE_PAGES,
    no_figure: tuple[str, ...] = NO_FIGURE_PAGES,
    timeout: float = 60.0,
    window: str = "1280,2000",
    out=sys.stdout,
) -> int:
    """Check every page; print a report; return the number of problems."""
    site = Site(html_dir)
    if not (site.root / "index.html").exists():
        print(f"check_site: {html_dir} has no index.html (is it a built site?)", file=out)
        return 1
    pages = site.pages()
    figure_rx = re.compile(figure_pages)
    exempt = {name.removesuffix(".html") for name in no_figure}
    local = threading.local()
    profile_dirs: list[str] = []
    lock = threading.Lock()

    def profile_dir() -> str:
        # Chromium cannot share a profile between concurrent processes.
        if not hasattr(local, "profile"):
            local.profile = tempfile.mkdtemp(prefix="check-site-chromium-")
            with lock:
                profile_dirs.append(local.profile)
        return local.profile

    def check_one(page: Path) -> tuple[str, list[str], int, int]:
        relative = site.relative(page)
        needs_figure = bool(figure_rx.search(relative)) and page.stem not in exempt
        problems: list[str] = []
        figures = numbered = 0
        static_html = page.read_text(encoding="utf-8", errors="replace")
        # A redirect page (index.html -> root chapter): Chromium would follow it
        # and show another page, so only its target is checked.
        is_redirect = parse_dom(static_html).refresh is not None
        try:
            if render_pages and not is_redirect:
                shot = None
                if screenshots is not None:
                    shot = screenshots / (relative.replace(os.sep, "__").removesuffix(".html") + ".png")
                html, shot_problem = render(chromium, profile_dir(), page, timeout, shot, window)
                if shot_problem:
                    problems.append(shot_problem)
            else:
                html = static_html
            page_problems, figures, numbered = check_page(site, page, parse_dom(html), needs_figure)
            problems += page_problems
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            problems.append(f"could not render: {error}")
        return relative, list(dict.fromkeys(problems)), figures, numbered

    total = n_figures = n_numbered = 0
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for relative, problems, figures, numbered in pool.map(check_one, pages):
                status = "ok  " if not problems else "FAIL"
                print(f"{status} {relative} (figures: {figures}, numbered captions: {numbered})",
                      file=out, flush=True)
                n_figures += figures
                n_numbered += numbered
                for problem in problems:
                    print(f"     - {problem}", file=out)
                total += len(problems)
    finally:
        for directory in profile_dirs:
            shutil.rmtree(directory, ignore_errors=True)
    verdict = "no problems" if total == 0 else f"{total} problem(s)"
    where = f"; screenshots in {screenshots}" if (render_pages and screenshots is not None) else ""
    print(f"check_site: {len(pages)} page(s), {n_figures} figure(s), {n_numbered} with a numbered "
          f"caption, {verdict}{where}", file=out)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render and check every page of a built book.")
    parser.add_argument("html_dir", type=Path, help="the built site, e.g. _build/html")
    parser.add_argument("--screenshots", type=Path, default=None,
                        help="write a PNG of every page into this folder")
    parser.add_argument("--chromium", default=None,
                        help="Chromium executable (default: $CHROMIUM, chromium, chromium-browser)")
    parser.add_argument("--static", action="store_true",
                        help="parse the HTML files as written, without rendering them in Chromium")
    parser.add_argument("--figure-pages", default=DEFAULT_FIGURE_PAGES,
                        help="regex on the page path: pages that must show a figure")
    parser.add_argument("--no-figure", action="append", default=None, metavar="PAGE",
                        help="page stem exempt from the figure rule (default: "
                             + ", ".join(NO_FIGURE_PAGES) + ")")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per Chromium call")
    parser.add_argument("--jobs", type=int, default=2, help="pages rendered at once (default 2)")
    parser.add_argument("--window-size", default="1280,2000", help="screenshot size WIDTH,HEIGHT")
    args = parser.parse_args(argv)

    chromium = None
    if not args.static:
        chromium = find_chromium(args.chromium)
        if chromium is None:
            print("check_site: Chromium not found (apt-get install -y chromium, or pass --chromium)",
                  file=sys.stderr)
            return 2
    problems = check_site(
        args.html_dir,
        screenshots=args.screenshots,
        chromium=chromium,
        render_pages=not args.static,
        jobs=args.jobs,
        figure_pages=args.figure_pages,
        no_figure=tuple(args.no_figure or NO_FIGURE_PAGES),
        timeout=args.timeout,
        window=args.window_size,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
