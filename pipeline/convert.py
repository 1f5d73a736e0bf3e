"""Old Word (.doc), RTF and OpenDocument (.odt) letters, read through LibreOffice.

LibreOffice converts the file to DOCX (`soffice --headless --convert-to docx`),
and `vanban.pipeline.load_docx` reads that, so these formats get the same reading
order, tables, numbering and legacy-font handling as Word letters.

- Each call runs its own LibreOffice with a private profile in a fresh temp
  directory: concurrent conversions sharing one profile fail without a word.
  HOME and TMPDIR point there too, so nothing is written to the user's home,
  and LibreOffice's temporary files go with the directory.
- LibreOffice opens almost anything as plain text and "converts" it, so the
  file's own signature is checked first: random bytes named `.doc` are refused
  as damaged instead of read as a letter of gibberish.
- LibreOffice may exit 0 without writing anything: success is the DOCX existing.
- LibreOffice converts, it never fetches. A letter can link pictures, objects,
  frames, sections, style sheets and templates by URL or by path, and
  LibreOffice loads such links as it opens the document. The fresh profile
  is given settings before it starts (`_PROFILE_SETTINGS`): links from an
  untrusted document are blocked (no linked picture, object or frame is
  loaded, from the web or from disk), linked sections and fields are never
  updated, macros never run, and HTTP, HTTPS and FTP go through a proxy on a
  closed local port: with it LibreOffice 7.4 opens no connection at all, not
  even for a web page's style sheet, which the other settings let through.
- Where the kernel and our rights let us (`_sandbox`: `unshare --net --mount
  --pid`, as root or in a user namespace), soffice also runs in namespaces of
  its own, chrooted into a private view of the file system (`_enter_view`): a
  network with no way out; read-only, the system folders (/usr, /etc, /lib...),
  its installation and what that links to; and, writable, the temp directory
  and a tmpfs /tmp of its own. It sees no home, /tmp, /srv or /mnt, nor the
  input folder (it converts a copy), which stops what the settings do not: a
  picture that an RTF or Word field (INCLUDEPICTURE) links to a file on this
  machine is opened by LibreOffice's import filter itself; now only files of
  the system folders can be (their pictures are dropped with the others:
  `vanban.pipeline.load_docx` reads text only). It writes nothing outside the temp
  directory: its single-instance socket, which it binds in /tmp whatever
  TMPDIR says, goes to its own /tmp, and as root it can no longer touch its
  shared extension cache. The view costs a Python start and a few mounts,
  about 25 ms a conversion, and a probe of about 0.2 s once per process.
  Where only `unshare --net` works, soffice runs in a network namespace alone;
  where nothing does, as it is. `tests/test_isolation.py` converts hostile
  files both with and without the namespaces.
- The whole process group is killed on timeout (`soffice` is a script that
  starts `soffice.bin`), and the temp directory always goes, and so, outside
  the private view, does the single-instance socket that LibreOffice leaves in
  /tmp when killed.

`VANBAN_SOFFICE` names the `soffice` to run (tests point it at a missing path);
`VANBAN_SOFFICE_TIMEOUT` overrides the timeout in seconds.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISSOCK

from vanban.schemas import CorruptFile, ErrorCode, LoadError, RawText

CONVERTED_FORMATS = {".doc": "doc", ".rtf": "rtf", ".odt": "odt"}
SOFFICE_ENV = "VANBAN_SOFFICE"
TIMEOUT_ENV = "VANBAN_SOFFICE_TIMEOUT"
DEFAULT_TIMEOUT = 120.0
# Where Debian, other Linux packages and macOS put soffice when it is not on PATH.
_SOFFICE_PLACES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
# The Word 2007-365 export filter, named: the default for `docx` has no export
# for a web page saved with a .doc name, which this one converts.
_DOCX_FILTER = "docx:MS Word 2007 XML"

# (configuration path, property, value) written into each fresh profile before
# LibreOffice starts; see the module doc.
_SECURITY = "/org.openoffice.Office.Common/Security/Scripting"
_INET = "/org.openoffice.Inet/Settings"
_PROFILE_SETTINGS = (
    # A document opened from outside the (empty) trusted locations loads no linked
    # picture, object or floating frame.
    (_SECURITY, "BlockUntrustedRefererLinks", "true"),
    (_SECURITY, "DisableMacrosExecution", "true"),
    (_SECURITY, "MacroSecurityLevel", "3"),
    # Writer's link update mode: 0 = never (linked sections, INCLUDETEXT fields).
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    # A manual proxy (2) on the discard port, closed on any ordinary machine.
    (_INET, "ooInetProxyType", "2"),
    *(
        (_INET, f"ooInet{scheme}Proxy{key}", value)
        for scheme in ("HTTP", "HTTPS", "FTP")
        for key, value in (("Name", "127.0.0.1"), ("Port", "9"))
    ),
    (_INET, "ooInetNoProxy", ""),
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # a directory entry of every Word 97-2003 file
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # a password-protected .docx
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def find_soffice() -> str | None:
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return shutil.which(configured)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _SOFFICE_PLACES if os.access(p, os.X_OK)), None)


def load_converted(path: Path, suffix: str | None = None) -> RawText:
    """Read a .doc, .rtf or .odt letter by converting it to DOCX with LibreOffice
    (`suffix`: what the file holds, when its name says otherwise)."""
    from vanban.pipeline.load_docx import load_docx

    fmt = CONVERTED_FORMATS[(suffix or path.suffix).lower()]
    _check_signature(path, fmt)
    soffice = find_soffice()
    if soffice is None:
        raise LoadError(
            "'{name}' is a .{fmt} file, which is read through LibreOffice, and LibreOffice "
            "is not installed: install it (Debian/Ubuntu: apt-get install "
            "libreoffice-writer-nogui fonts-liberation2), or save the letter as .docx and retry.",
            code=ErrorCode.CONVERTER_MISSING,
            name=path.name,
            fmt=fmt,
        )
    with tempfile.TemporaryDirectory(prefix="vanban-soffice-") as tmp:
        work = Path(tmp)
        # A plain copy name: the original may hold spaces, quotes or a leading `-`.
        source = work / f"letter.{fmt}"
        shutil.copyfile(path, source)
        _run_soffice(soffice, source, work, path.name)
        converted = work / "out" / "letter.docx"
        if not converted.is_file():
            raise _failed(path, fmt, "LibreOffice could not open it")
        try:
            raw = load_docx(converted)
        except LoadError as exc:
            raise _failed(path, fmt, "LibreOffice's DOCX could not be read") from exc
    note = f"converted from .{fmt} to DOCX by LibreOffice before reading"
    return replace(raw, format=fmt, warnings=[note, *raw.warnings])


def _run_soffice(soffice: str, source: Path, work: Path, name: str) -> None:
    try:
        timeout = float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
    except ValueError:  # a typo in the setting must not fail every file
        timeout = DEFAULT_TIMEOUT
    profile = work / "profile"
    _write_profile_settings(profile)
    sandbox = _sandbox(soffice)
    command = [
        *sandbox.command(work),
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        _DOCX_FILTER,
        "--outdir",
        str(work / "out"),
        str(source),
    ]
    # LibreOffice's own temporary files go with the work folder, even when it is killed.
    env = {**os.environ, "HOME": str(work), "TMPDIR": str(work), "TMP": str(work)}
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=work,
            start_new_session=True,  # its own process group, to kill soffice.bin with it
        )
    except OSError as exc:
        raise LoadError(
            "LibreOffice ({soffice}) could not be started to read '{name}': {reason}. "
            "Check the installation (apt-get install libreoffice-writer-nogui).",
            code=ErrorCode.CONVERTER_MISSING,
            soffice=soffice,
            name=name,
            reason=exc.strerror,
        ) from exc
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise LoadError(
            "'{name}' could not be converted: LibreOffice took more than {timeout:g} s. "
            "Open it in Word or LibreOffice, save it as .docx and retry.",
            code=ErrorCode.CONVERSION_FAILED,
            name=name,
            timeout=timeout,
        ) from None
    finally:
        if process.poll() is None:  # interrupted (Ctrl-C): leave no LibreOffice behind
            _kill_group(process)
        if not sandbox.private:  # else its /tmp went with its mount namespace
            # In a user namespace LibreOffice runs as its root.
            uid = 0 if sandbox.root_user else os.getuid()
            _remove_ipc_socket(ipc_socket_name(profile.as_uri(), uid))


def ipc_socket_name(profile_url: str, uid: int) -> str:
    """The name of LibreOffice's single-instance socket for a profile: OSL_PIPE_<uid>_
    SingleOfficeIPC_<MD5 of the profile URL in UTF-16, each byte in unpadded hex>."""
    digest = hashlib.md5(profile_url.encode("utf-16-le"), usedforsecurity=False).digest()
    return f"OSL_PIPE_{uid}_SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)


def _remove_ipc_socket(name: str) -> None:
    """LibreOffice binds its single-instance socket in /tmp (/var/tmp when /tmp is not
    writable) whatever TMPDIR says, and removes it as it exits, but not when killed."""
    for folder in ("/tmp", "/var/tmp"):
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            info = os.lstat(path)
            if S_ISSOCK(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(path)


def _write_profile_settings(profile: Path) -> None:
    """The settings of `_PROFILE_SETTINGS`, as the user layer of a profile LibreOffice
    has not made yet (it keeps them when it fills in the rest)."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, name, value in _PROFILE_SETTINGS
    )
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n",
        encoding="utf-8",
    )


@dataclass(frozen=True)
class _Sandbox:
    """How soffice is started: inside `unshare` (`namespaces`), and with `private`, through
    `_enter_view`, which gives it a view of the file system of its own (`visible`)."""

    namespaces: tuple[str, ...] = ()
    private: bool = False
    root_user: bool = False  # in a user namespace, as its root
    visible: tuple[str, ...] = ()

    def command(self, work: Path) -> list[str]:
        """What goes before soffice's own command."""
        if not self.private:
            return list(self.namespaces)
        view = [sys.executable, "-I", "-S", "-c", _view_code(), str(work), "\n".join(self.visible)]
        return [*self.namespaces, *view]


@functools.cache
def _sandbox(soffice: str) -> _Sandbox:
    """The most the kernel and our rights allow, probed once per process: soffice in new
    network, mount and PID namespaces, in its private view (`_enter_view`); else in a
    network namespace of its own (only a loopback interface, down); else as it is.

    `unshare` execs (and with `--fork` forks) in soffice's process group, so the group
    killed on timeout is still soffice's."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return _Sandbox()
    # As root the namespaces need nothing more; a user needs a user namespace too.
    users = ((), ("--map-root-user",))
    try:
        _view_code()
    except (OSError, TypeError):  # no source to run (a frozen build)
        users_with_view: tuple[tuple[str, ...], ...] = ()
    else:
        users_with_view = users
    for user in users_with_view:
        namespaces = (unshare, "--net", "--mount", "--pid", "--fork", "--kill-child", *user)
        sandbox = _Sandbox(namespaces, True, bool(user), _visible_paths(soffice))
        with tempfile.TemporaryDirectory(prefix="vanban-soffice-probe-") as tmp:
            # soffice starts in the view: its installation, libraries and links are there
            command = [*sandbox.command(Path(tmp)), soffice, "--version"]
            if _probe(command, cwd=tmp, env={**os.environ, "HOME": tmp, "TMPDIR": tmp}):
                return sandbox
    for user in users:
        if _probe([unshare, "--net", *user, "true"]):
            return _Sandbox((unshare, "--net", *user), root_user=bool(user))
    return _Sandbox()


def _probe(command: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> bool:
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


# What any program reads: libraries, programs, settings (fonts, locales, users).
_SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
_FONT_CACHE = "/var/cache/fontconfig"  # without it fontconfig scans every font, each time


def _visible_paths(soffice: str) -> tuple[str, ...]:
    """What soffice sees in its private view: the system folders, the font cache, soffice
    and its installation, and what the installation links to outside them (Debian links
    its shared settings and extension folders to /etc and /var)."""
    paths = list(_SYSTEM_PATHS)

    def add(path: str) -> None:
        if not any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in paths):
            paths.append(path)

    add(_FONT_CACHE)
    add(os.path.abspath(soffice))
    program = os.path.dirname(os.path.realpath(soffice))
    install = os.path.dirname(program) if os.path.basename(program) == "program" else program
    add(install)
    depth = install.count(os.sep)
    for folder, dirs, files in os.walk(install):
        if folder.count(os.sep) - depth >= 3:  # Debian's links are at most 3 deep
            dirs.clear()
        for entry in (*dirs, *files):
            path = os.path.join(folder, entry)
            if os.path.islink(path) and os.path.exists(path):
                add(os.path.realpath(path))
    return tuple(paths)


@functools.cache
def _view_code() -> str:
    """`_enter_view`'s source and its call, for `python -I -S -c`: importing this module
    would cost a quarter of a second per conversion."""
    return inspect.getsource(_enter_view) + "\nimport sys\n_enter_view(*sys.argv[1:])\n"


def _enter_view(work: str, visible: str, *command: str) -> None:  # pragma: no cover - own process
    """Run by its own Python inside the new namespaces (as root, or the root of a user
    namespace), before soffice: give soffice a view of the file system of its own, then
    exec `command`. Standard library only, imported here: see `_view_code`.

    The view is a read-only tmpfs (WORK/root, made here) with `visible` (`_visible_paths`)
    bound read-only (top-level symbolic links such as /bin -> usr/bin copied), the
    harmless devices, a fresh read-only /proc that shows only this PID namespace, an
    empty tmpfs on /tmp, and `work`, writable, at its own path. soffice is chrooted into
    it: it can read no file outside it (not /home, /root, /tmp, /srv, /mnt ..., nor the
    input folder), and it can write only into `work` and its private /tmp, where it binds
    its single-instance socket. The mounts are private to the namespace (`unshare` makes
    the propagation private) and go with it when soffice exits."""
    import ctypes
    import os
    import re

    rdonly, nosuid, nodev, noexec, remount, bind_flag, rec = 1, 2, 4, 8, 32, 4096, 16384
    # Flags a remount must keep: in a user namespace the kernel refuses to clear them.
    kept = nosuid | nodev | noexec | 1024 | 2048 | 4096  # and noatime, nodiratime, relatime
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(
        source: str | None, target: str, fstype: str | None, flags: int, data: str = ""
    ) -> None:
        args = [None if a is None else os.fsencode(a) for a in (source, target, fstype)]
        result = libc.mount(args[0], args[1], args[2], ctypes.c_ulong(flags), data.encode() or None)
        if result != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), target)

    def bind(path: str, *, recursive: bool = True) -> None:
        target = root + path
        if os.path.isdir(path):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "ab").close()
        mount(path, target, None, bind_flag | (rec if recursive else 0))

    root = os.path.join(work, "root")
    os.mkdir(root, 0o755)
    mount("vanban", root, "tmpfs", nosuid | nodev, "mode=0755,size=1m")
    shown = []
    for path in visible.split("\n"):
        if not os.path.lexists(path) or os.path.lexists(root + path):
            continue  # absent here, or seen through a folder or link already made
        if os.path.islink(path):
            os.makedirs(os.path.dirname(root + path), exist_ok=True)
            os.symlink(os.readlink(path), root + path)
        else:
            bind(path)
            shown.append(root + path)
    # Read-only, with the mounts below them that the recursive binds brought along.
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as info:
        points = [
            re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), line.split()[4]) for line in info
        ]
    for point in points:
        if any(point == path or point.startswith(path + "/") for path in shown):
            flags = remount | bind_flag | rdonly | (os.statvfs(point).f_flag & kept)
            mount(None, point, None, flags)
    for device in ("null", "zero", "full", "random", "urandom"):
        bind("/dev/" + device, recursive=False)
    os.mkdir(root + "/proc")
    mount("proc", root + "/proc", "proc", nosuid | nodev | noexec | rdonly)
    os.mkdir(root + "/tmp")
    mount("vanban-tmp", root + "/tmp", "tmpfs", nosuid | nodev, "mode=1777,size=16m")
    bind(work, recursive=False)  # after /tmp, which it may be below
    mount(None, root, None, remount | rdonly | nosuid | nodev)
    os.chroot(root)
    os.chdir(work)
    os.execv(command[0], list(command))


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill soffice and what it started; wait until none runs before the temp dir goes."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while _running(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _running(group: int) -> bool:
    """Whether a process of the group still runs. Zombies do not count: they write nothing,
    and an init that reaps slowly keeps killed `soffice.bin` as one for a second or two."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # "pid (command) state ppid pgrp ...": the command may hold spaces and parentheses.
            state, _, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if int(pgrp) == group and state not in "ZX":
            return True
    return False


def _check_signature(path: Path, fmt: str) -> None:
    """Refuse what is not a .doc, .rtf or .odt before LibreOffice reads it as plain text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(
            "'{name}' could not be read: {reason}.", name=path.name, reason=exc.strerror
        ) from exc
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt == "odt":
        ok = zipfile.is_zipfile(path) and _zip_member(path, "mimetype").startswith(_ODT_MIMETYPE)
    elif fmt == "rtf":
        ok = head.startswith(b"{\\rtf")
    elif data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise LoadError(
                "'{name}' is protected by a password. Open it in Word, remove the "
                "password and save it again as .docx.",
                code=ErrorCode.ENCRYPTED_DOC,
                name=path.name,
            )
        ok = _WORD_STREAM in data
    else:
        # A .doc is often something else Word opens: RTF, a .docx, or a web page.
        ok = head.startswith((b"{\\rtf", b"<")) or zipfile.is_zipfile(path)
    if not ok:
        raise CorruptFile(
            "'{name}' is not a readable .{fmt} document: it may be damaged, cut short or "
            "of another type. Open it in Word or LibreOffice and save it as .docx, or obtain "
            "the letter again.",
            code=ErrorCode("corrupt_" + fmt),
            name=path.name,
            fmt=fmt,
        )


def _zip_member(path: Path, name: str) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(name)
    # A damaged directory may also name a ZIP version or compression method
    # zipfile lacks (NotImplementedError), an encrypted member (RuntimeError),
    # or end early (EOFError).
    except (
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        EOFError,
    ):
        return b""


def _failed(path: Path, fmt: str, why: str) -> LoadError:
    return LoadError(
        "'{name}' could not be converted from .{fmt} ({why}): it may be damaged or "
        "protected by a password. Open it in Word or LibreOffice, save it as .docx and retry.",
        code=ErrorCode.CONVERSION_FAILED,
        name=path.name,
        fmt=fmt,
        why=why,
    )
