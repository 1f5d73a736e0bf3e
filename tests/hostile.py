"""Build the broken and hostile files a real archive holds, each with the record it must give.

`build(folder)` writes them and returns `{relative path: Expect}`; the
hostile-input test feeds the folder to `vanban ingest` and checks that each
file ends in exactly the record expected, with a message a clerk can act on.
"""

from __future__ import annotations

import io
import os
import random
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "corpus" / "dev"
LETTER = DEV / "raw" / "002.txt"  # a real công văn with tasks
PDF = DEV / "pdf" / "hanoi_tb_453_flag.pdf"  # a real PDF with a text layer
SCAN = ROOT / "data" / "corpus" / "ocr" / "pdf"


@dataclass(frozen=True)
class Expect:
    """`outcome` is "document" or "error"; `codes` the error codes accepted;
    `says` words the message (or a warning of the document) must hold."""

    outcome: str
    codes: frozenset[str] = frozenset()
    says: str = ""
    why: str = ""


def document(why: str, says: str = "") -> Expect:
    return Expect("document", says=says, why=why)


def error(why: str, *codes: str, says: str = "") -> Expect:
    return Expect("error", frozenset(codes), says, why)


# --- PDFs written by hand: tiny files with exactly the defect wanted -------------------------


def pdf_bytes(
    pages: int = 1,
    text: str = "CONG VAN so 12/UBND ve viec thu nghiem",
    box: tuple[int, int] = (595, 842),
) -> bytes:
    """A valid PDF of `pages` pages sharing one content stream (2,000 pages stay ~150 KB)."""
    content = (f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else "").encode("latin-1")
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    first_page = len(objs) + 1
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages))
    objs[1] = f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources" % box
        + b" << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objs += [page] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    )
    return out.getvalue()


def broken_xref(data: bytes) -> bytes:
    """Every offset of the cross-reference table wrong, and `startxref` pointing nowhere."""
    head, _, tail = data.rpartition(b"xref\n")
    table, _, trailer = tail.partition(b"trailer")
    rows = table.split(b"\n")
    rows = [r[:2] + b"9" + r[3:] if r.endswith(b" n ") else r for r in rows]
    trailer = trailer.replace(b"startxref\n", b"startxref\n9")
    return head + b"xref\n" + b"\n".join(rows) + b"trailer" + trailer


def encrypted(data: bytes, user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # RC4: pypdf does it alone (AES would need the cryptography package).
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- DOCX packages --------------------------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _body(*paragraphs: str, doctype: str = "") -> str:
    paras = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {_W}><w:body>{paras}</w:body></w:document>'


def docx_bytes(document_xml: str, extra: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def docx_bomb(target: Path | io.BytesIO, unpacked_mb: int) -> None:
    """A few hundred KB that unpack to `unpacked_mb` MB of XML (written in chunks)."""
    chunk = b"<w:p><w:r><w:t>" + b"A" * (1 << 20) + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f"<?xml version='1.0'?><w:document {_W}><w:body>".encode())
            for _ in range(unpacked_mb):
                f.write(chunk)
            f.write(b"</w:body></w:document>")


def lying_sizes(data: bytes) -> bytes:
    """A ZIP whose headers claim each member unpacks to 100 bytes: a bomb that
    slips past a check of the declared sizes."""
    out = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = out.find(sig)
        while i >= 0:
            out[i + at : i + at + 4] = struct.pack("<I", 100)
            i = out.find(sig, i + 4)
    return bytes(out)


# --- the folder -----------------------------------------------------------------------------


def build(folder: Path) -> dict[str, Expect]:
    """Write every hostile input below `folder`; {path relative to folder: Expect}."""
    folder.mkdir(parents=True, exist_ok=True)
    letter = LETTER.read_text(encoding="utf-8")
    real_pdf = PDF.read_bytes()
    made: dict[str, Expect] = {}

    def put(name: str, data: bytes | str, expect: Expect) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        made[name] = expect

    # PDFs
    put(
        "pdf/cut_in_half.pdf",
        real_pdf[: len(real_pdf) // 2],
        error("truncated PDF", "corrupt_pdf", says="Obtain the file again"),
    )
    put(
        "pdf/only_header.pdf",
        b"%PDF-1.7\n" + bytes(random.Random(8).randbytes(4000)) + b"\n%%EOF\n",
        error("corrupt PDF body", "corrupt_pdf"),
    )
    put(
        "pdf/html_saved_as.pdf",
        b"<html><body>404 Not Found</body></html>",
        error("a web page named .pdf", "corrupt_pdf", says="not a PDF"),
    )
    put(
        "pdf/password_to_open.pdf",
        encrypted(pdf_bytes(), user="mat-khau", owner="chu"),
        error("encrypted, user password", "encrypted", says="password"),
    )
    put(
        "pdf/owner_password_only.pdf",
        encrypted(pdf_bytes(), user="", owner="chu"),
        document("encrypted without a user password: opens, is read"),
    )
    put(
        "pdf/broken_xref.pdf",
        broken_xref(pdf_bytes()),
        document("broken xref: rebuilt by PDFium and read"),
    )
    put(
        "pdf/two_thousand_pages.pdf",
        pdf_bytes(2000),
        error("2,000 pages", "too_large", says="--max-pages"),
    )
    put(
        "pdf/blank_page_200_inches_wide.pdf",
        pdf_bytes(text="", box=(14400, 14400)),
        error("a blank page 5 m wide", "no_text", says="blank"),
    )
    put("pdf/no_extension", real_pdf, document("a PDF without extension", says="holds a PDF"))

    # DOCX
    docx_bomb(folder / "docx_bomb.docx", unpacked_mb=600)
    made["docx_bomb.docx"] = error(
        "decompression bomb (600 MB of XML in a small ZIP)", "docx_too_large", says="MB"
    )
    small_bomb = io.BytesIO()
    docx_bomb(small_bomb, unpacked_mb=300)
    put(
        "docx_bomb_lying_sizes.docx",
        lying_sizes(small_bomb.getvalue()),
        error("bomb whose headers lie about the sizes", "corrupt_docx", "docx_too_large"),
    )
    secret = folder.parent / "secret.txt"
    secret.write_text("BI-MAT-KHONG-DUOC-LO", encoding="utf-8")
    xxe = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY net SYSTEM "http://127.0.0.1:9/x">]>'
    put(
        "docx_xxe.docx",
        docx_bytes(
            _body(
                "Kính gửi: Sở Nội vụ", "&xxe;", "&net;", "Đề nghị Sở Nội vụ báo cáo.", doctype=xxe
            )
        ),
        document("XXE: entities not resolved"),
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://127.0.0.1:9/anh.png" TargetMode="External"/>'
        f'<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument" Target="{secret.as_uri()}" TargetMode="External"/>'
        "</Relationships>"
    )
    put(
        "docx_external_rels.docx",
        docx_bytes(
            _body("Kính gửi: Sở Nội vụ", "Đề nghị Sở Nội vụ báo cáo."),
            {"word/_rels/document.xml.rels": rels},
        ),
        document("external relationship targets: not fetched"),
    )
    photos = io.BytesIO()
    with zipfile.ZipFile(photos, "w") as z:
        z.writestr("anh_1.jpg", b"\xff\xd8\xff" + b"\0" * 100)
        z.writestr("ghi_chu.txt", "ảnh hội nghị")
    put(
        "zip_of_photos.docx",
        photos.getvalue(),
        error("a ZIP of something else", "corrupt_docx", says="not a Word document"),
    )

    # Text
    put(
        "junk.txt",
        random.Random(1).randbytes(5000).replace(b"\0", b"\1") + b"\0\0\0\0",
        error("binary junk named .txt", "not_text", "unknown_encoding"),
    )
    page = (
        pdfium.PdfDocument(SCAN / "real_hanoi_tb_453_flag.pdf")[0].render(scale=300 / 72).to_pil()
    )
    png = io.BytesIO()
    page.convert("L").save(png, format="PNG")
    put(
        "scan_saved_as.txt",
        png.getvalue(),
        document("a scan (PNG) named .txt: read by OCR", says="holds a PNG image"),
    )
    put("empty.txt", b"", error("empty file", "empty_file"))
    put("nfd.txt", unicodedata.normalize("NFD", letter), document("text in NFD"))
    noisy = "".join(
        c + ("\x00" if i % 97 == 0 else "\x07" if i % 89 == 0 else "") for i, c in enumerate(letter)
    )
    put("nul_and_control.txt", noisy, document("NUL bytes and control characters"))
    lines = letter.split("\n")
    mixed = "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(lines))
    put("mixed_line_endings.txt", mixed, document("CRLF, CR and LF in one file"))
    put(
        "Công văn số 12 về việc báo cáo (bản sao).txt",
        letter,
        document("Vietnamese letters and spaces in the name"),
    )
    put("thư mục con/Thông báo kết luận.txt", letter, document("a folder with a Vietnamese name"))
    # A name in Windows-1258 bytes, not UTF-8 (an archive unpacked from an old ZIP).
    put(os.fsdecode(b"c\xf4ng v\xe3n c\xfc.txt"), letter, document("a file name that is not UTF-8"))

    big = folder / "huge_200mb.txt"
    block = (letter * (1 + (1 << 20) // len(letter.encode()))).encode()[: 1 << 20]
    with big.open("wb") as f:
        for _ in range(200):
            f.write(block)
    made[big.name] = error("a 200 MB text file", "too_large", says="--max-size-mb")

    # The file system
    (folder / "loop_to_itself.txt").symlink_to("loop_to_itself.txt")
    made["loop_to_itself.txt"] = error("a symbolic link to itself", "symlink_loop", says="loop")
    (folder / "thư mục con" / "back_to_top").symlink_to(
        "..", target_is_directory=True
    )  # not a file: noted
    (folder / "gone.txt").symlink_to("nowhere.txt")
    made["gone.txt"] = error("a link to a file that does not exist", "broken_link")
    os.mkfifo(folder / "named_pipe.txt")
    made["named_pipe.txt"] = error("a named pipe (would block a reader forever)", "not_a_file")
    locked = folder / "locked.txt"
    locked.write_text(letter, encoding="utf-8")
    locked.chmod(0)
    made["locked.txt"] = error(
        "a file that cannot be read (mode 000)", "unreadable", says="permission"
    )
    return made
