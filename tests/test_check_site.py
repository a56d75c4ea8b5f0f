"""The site check's count of figures and numbered captions (scripts/check_site.py)."""

import base64
import importlib.util
import io
import struct
import sys
import zlib
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_site.py"
spec = importlib.util.spec_from_file_location("check_site", SCRIPT)
check_site = importlib.util.module_from_spec(spec)
sys.modules["check_site"] = check_site  # dataclasses look their module up
spec.loader.exec_module(check_site)


def _png() -> bytes:
    """A valid 1 x 1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _site(tmp_path: Path, body: str) -> Path:
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(_png())
    (tmp_path / "index.html").write_text('<meta http-equiv="refresh" content="0; url=01_data.html">')
    (tmp_path / "01_data.html").write_text(f"<html><body>{body}</body></html>")
    return tmp_path


NUMBERED = ('<figure><img src="_images/a.png"><figcaption><p><span class="caption-number">'
            'Fig. 1.1 </span><span class="caption-text">Raw EMG.</span></p></figcaption></figure>')
UNCAPTIONED = '<div class="output"><img src="_images/a.png"></div>'
CAPTION_WITHOUT_NUMBER = ('<figure><img src="_images/a.png"><figcaption><p>Raw EMG.</p>'
                          '</figcaption></figure>')


def _check(tmp_path, body):
    out = io.StringIO()
    problems = check_site.check_site(_site(tmp_path, body), render_pages=False, out=out)
    return problems, out.getvalue()


def test_numbered_figures_are_counted_and_pass(tmp_path):
    problems, report = _check(tmp_path, NUMBERED * 2)
    assert problems == 0, report
    assert "01_data.html (figures: 2, numbered captions: 2)" in report
    assert "2 figure(s), 2 with a numbered caption, no problems" in report


def test_a_figure_without_a_numbered_caption_fails(tmp_path):
    for body in (NUMBERED + UNCAPTIONED, NUMBERED + CAPTION_WITHOUT_NUMBER):
        folder = tmp_path / str(len(body))
        folder.mkdir()
        problems, report = _check(folder, body)
        assert problems == 1, report
        assert "1 figure(s) without a numbered caption" in report
        assert "(figures: 2, numbered captions: 1)" in report


def test_a_data_uri_image_counts_like_a_file(tmp_path):
    uri = "data:image/png;base64," + base64.b64encode(_png()).decode()
    body = NUMBERED.replace("_images/a.png", uri)
    problems, report = _check(tmp_path, body)
    assert problems == 0, report
    assert "(figures: 1, numbered captions: 1)" in report
