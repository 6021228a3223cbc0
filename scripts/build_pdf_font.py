"""Build the font the case-file PDF ships with: a subset of Noto Sans CJK SC (SIL OFL 1.1).

Run by hand when the character set should change (the result is committed; nothing builds it
at run time):

    .venv/bin/python scripts/build_pdf_font.py

It needs Debian's fonts-noto-cjk (installed here if missing). The subset holds every character
of the GBK repertoire (all 20,902 unified ideographs of the basic block, so rare characters in
names render too), ASCII, Latin-1, general and CJK punctuation, full-width forms, and every
character of the project's translations and templates.
"""

import re
import subprocess
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAMILY_INDEX_NAME = "Noto Sans CJK SC"
TARGET = ROOT / "casework" / "common" / "fonts" / "NotoSansSC-casework.otf"
LICENCE = ROOT / "casework" / "common" / "fonts" / "OFL.txt"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")


def gbk_repertoire() -> set[str]:
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return chars


def ranges() -> set[str]:
    spans = [
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1
        (0x2010, 0x205E),  # general punctuation
        (0x2190, 0x2193),  # arrows
        (0x2460, 0x2473),  # ① … ⑳
        (0x25A0, 0x25CF),  # geometric shapes (■ □ ● ○ ▲ …)
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF01, 0xFF5E),  # full-width forms
        (0xFFE0, 0xFFE6),
    ]
    return {chr(code) for start, end in spans for code in range(start, end + 1)}


def project_text() -> set[str]:
    chars: set[str] = set()
    for pattern in ("locale/**/*.po", "templates/**/*.html", "casework/**/*.py", "workflows/*.py"):
        for path in ROOT.glob(pattern):
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable()}


def licence_text(font) -> str:
    copyright_line = font["name"].getDebugName(0) or ""
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    body = text.split("License: SIL-1.1\n", 2)[-1].split("\nLicense:", 1)[0]
    lines = [re.sub(r"^ ", "", line) for line in body.splitlines()]
    lines = ["" if line == "." else line for line in lines]
    return (
        f"{copyright_line}\n\nThis font is a subset of Noto Sans CJK SC made for this project by "
        "scripts/build_pdf_font.py.\n\n" + "\n".join(lines).strip() + "\n"
    )


def main() -> int:
    if not SOURCE.exists():
        subprocess.run([str(ROOT / "scripts" / "apt-install"), "fonts-noto-cjk"], check=True)
    collection = TTCollection(str(SOURCE))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == FAMILY_INDEX_NAME)
    wanted = gbk_repertoire() | ranges() | project_text()
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in wanted))
    subsetter.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(TARGET))
    LICENCE.write_text(licence_text(font), encoding="utf-8")
    covered = len(font.getBestCmap())
    print(f"{TARGET.relative_to(ROOT)}: {covered} characters, {TARGET.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
