#!/usr/bin/env python3
"""Set up and run the SKM platform with nothing but Python 3.11 on the machine.

    python3 run.py demo    # install into .venv, seed the demo, serve http://127.0.0.1:8000
    python3 run.py test    # install into .venv, run lint, type and layer checks, migration check, all tests

Both create `.venv` at the repository root and (re)install the project into it whenever
pyproject.toml changes; `.venv/bin/skm` is the operator command afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".skm-installed"


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("$", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 atau lebih baru diperlukan / Python 3.11+ is required.")
    if not (BIN / "python").exists():
        print(f"Membuat lingkungan virtual {VENV} …", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and (BIN / "skm").exists():
        return
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]")
    STAMP.write_text(wanted)


def demo(args: list[str]) -> None:
    ensure_venv()
    env = {**os.environ, "SKM_DEBUG": os.environ.get("SKM_DEBUG", "1")}
    sh(BIN / "skm", "migrate", "--no-input", env=env)
    sh(BIN / "skm", "demo", "--if-empty", *args, env=env)
    if ensure_debian_tools(("soffice",)):
        print(
            "PERINGATAN: LibreOffice tidak ada; laporan SKM hanya dapat dibuat sebagai DOCX dan XLSX.",
            flush=True,
        )
    # The background worker (reports are made by it) beside the server; Ctrl+C stops both.
    subprocess.Popen([BIN / "skm", "worker"], env=env)
    print("\nDemo berjalan di http://127.0.0.1:8000/kelola/  (Ctrl+C untuk berhenti)\n", flush=True)
    os.execve(BIN / "skm", [str(BIN / "skm"), "runserver", "127.0.0.1:8000"], env)


# Debian packages the tests drive: chromium (browser tests), zbarimg (decodes the QR codes),
# poppler's pdfinfo/pdftotext/pdftoppm (reads the posters and reports) and LibreOffice (turns the
# report's DOCX into its PDF, and opens every produced document). A command each, and its packages.
DEBIAN_TOOLS = {
    "chromium": "chromium",
    "zbarimg": "zbar-tools",
    "pdftoppm": "poppler-utils",
    "soffice": "libreoffice-writer-nogui libreoffice-calc-nogui",
}


def ensure_debian_tools(only: tuple[str, ...] = ()) -> list[str]:
    """Install the Debian tools the tests need (or `only` those commands) when we may (root with
    apt-get); return the commands still missing."""
    tools = {cmd: pkgs for cmd, pkgs in DEBIAN_TOOLS.items() if not only or cmd in only}
    missing = [p for cmd, pkgs in tools.items() if not shutil.which(cmd) for p in pkgs.split()]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        print(f"Memasang {', '.join(missing)} untuk pengujian …", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        # LibreOffice without its recommends (a desktop's worth of packages); the rest as before.
        office = [p for p in missing if p.startswith("libreoffice")]
        others = [p for p in missing if p not in office]
        for extra, packages in (([], others), (["--no-install-recommends"], office)):
            if packages:
                install = ["apt-get", "install", "-y", "-qq", *extra, *packages]
                subprocess.run(install, check=False, env=env, **quiet)
    return [cmd for cmd in tools if not shutil.which(cmd)]


def ensure_node_tools() -> bool:
    """axe-core (accessibility checks in the browser tests) comes from npm."""
    if (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists():
        return True
    if shutil.which("npm"):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=ROOT, check=False)
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists()


def test(args: list[str]) -> None:
    ensure_venv()
    env = dict(os.environ)
    if not ensure_node_tools() and env.get("CI"):
        sys.exit("axe-core tidak dapat dipasang dari npm: pengujian aksesibilitas wajib di CI.")
    missing = ensure_debian_tools()
    if missing and env.get("CI"):
        sys.exit(
            f"{', '.join(missing)} tidak tersedia: pengujian browser, QR, poster dan laporan wajib di CI."
        )
    if "chromium" in missing:
        print("PERINGATAN: chromium tidak ada; pengujian browser (-m browser) dilewati.", flush=True)
        args = ["-m", "not browser", *args]
    if {"zbarimg", "pdftoppm"} & set(missing):
        print(
            "PERINGATAN: zbar-tools/poppler-utils tidak ada; pengujian QR dan poster akan gagal.", flush=True
        )
    db = env.get("DATABASE_URL", "sqlite (embedded)")
    print(f"== Pengujian / tests on {db}", flush=True)
    sh(BIN / "ruff", "check", "skm", "tests", "bench", "run.py")
    sh(BIN / "ruff", "format", "--check", "skm", "tests", "bench", "run.py")
    sh(BIN / "mypy")
    sh(BIN / "lint-imports")  # the layers (pyproject.toml, [tool.importlinter])
    sh(BIN / "skm", "makemigrations", "--check", "--dry-run", env=env)
    sh(BIN / "python", "-m", "pytest", *args, env=env)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    {"demo": demo, "test": test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
