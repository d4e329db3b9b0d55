"""Legacy office formats (Word 97-2003 ``.doc``, ``.rtf``, ``.odt``) -> DOCX with LibreOffice.

LibreOffice runs headless, once per file, in a private temporary profile
(``-env:UserInstallation``): concurrent conversions never share (and never lock) a profile,
and the user's own profile is never touched. It runs with a time limit (its whole process
group is killed when the limit passes, ``soffice.bin`` included) and, where the system allows
it, in a network namespace of its own (``unshare -rn``), so a document's linked images or
fields cannot reach the network. The DOCX it writes is then read by :mod:`.docx`.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConverterUnavailableError, UnreadableDocumentError

CONVERT_TIMEOUT = 120.0
"""Seconds one conversion may take (a 100-page .doc converts in a few seconds)."""
INSTALL_HINT = "install Debian's libreoffice-writer-nogui package (apt-get install libreoffice-writer-nogui)"


def soffice() -> str:
    """Path of LibreOffice's ``soffice``; raise :class:`ConverterUnavailableError` without it."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ConverterUnavailableError(None, f"LibreOffice is needed to read this format and is not installed: {INSTALL_HINT}")
    return exe


@functools.cache
def _no_network_prefix() -> tuple[str, ...]:
    """``unshare -rn`` when this system lets a process take a network namespace of its own."""
    exe = shutil.which("unshare")
    if exe is None:
        return ()
    for prefix in ((exe, "-rn"), (exe, "-n")):
        try:
            ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:
            return prefix
    return ()


def convert_to_docx(path: Path, data: bytes, fmt: str, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """Convert a ``.doc``/``.rtf``/``.odt`` file's bytes to DOCX bytes with LibreOffice."""
    exe = soffice()
    with tempfile.TemporaryDirectory(prefix="cchc-soffice-") as tmp:
        root = Path(tmp)
        source = root / "in" / f"document.{fmt}"
        source.parent.mkdir()
        source.write_bytes(data)
        out_dir = root / "out"
        cmd = [
            *_no_network_prefix(),
            exe,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        env = {**os.environ, "HOME": str(root), "TMPDIR": str(root)}
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise UnreadableDocumentError(
                path, f"LibreOffice did not convert the {fmt.upper()} file within {timeout:g} s"
            ) from None
        finally:
            _kill_group(proc)  # a soffice.bin left behind by the launcher
        result = out_dir / "document.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if "javaldx" not in ln]
            detail = lines[-1] if lines else f"exit code {proc.returncode}"
            raise UnreadableDocumentError(path, f"LibreOffice could not convert the {fmt.upper()} file ({detail})")
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
