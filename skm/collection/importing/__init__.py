"""Bulk import of answers from CSV/XLSX (SPEC §7): our column template or a Google Forms export.

`read()` turns a file into a `Preview` (dry run: the column mapping, every row judged by the same
`validate()` as every other channel, the rows already received); `save()` stores a clean preview
in one transaction, all rows or none, with its rollups. Nothing here knows about HTTP: the upload
pages (`views/imports.py`) and `skm import-answers` call these functions.

Two formats, told apart automatically:

* **columns** (our template): `tanggal`, optional `layanan`, `u1 … u9` in the Pemda's order (or the
  element names, or the Pemda's column headers), `jenis_kelamin`, `usia`, `pendidikan`,
  `pekerjaan`, `saran`, optional `kunci`. Headers must match exactly (after normalising).
* **google-forms**: a "Timestamp"/"Stempel waktu" column, then one column per question whose
  header is the question's wording (matched by text similarity, so a slightly edited wording
  still finds its question) and whose cells are option labels.

Each row's idempotency key is its `kunci` or `imp-<24 hex of the file's SHA-256>-<row number>`,
so importing the same file twice stores nothing new. Keys belong to the unit (`skm.collection.keys`):
a key already stored *in this unit* is the same questionnaire again ("already imported") when its
content is equal, and a row error when it is not; another unit's keys are never looked at.

Reading is bounded (`LIMITS`): the file is streamed row by row, only the cells of the mapped
columns are kept, and the first row, column or cell beyond a limit stops it with a message. Only
the first rows with problems keep their messages (`PROBLEMS_KEPT`); the rest are counted. A
preview can be kept as JSON (`kept` / `restored`), so the upload pages save exactly what they
showed without reading the file again.

The modules, in the order a file goes through them: `reading` (the file into rows, within
`LIMITS`), `columns` (headers to questions), `labels` and `times` (cells to codes and times),
`judging` (each row held to `validate()`), `preview` (what the dry run found), `keeping` (the
preview kept between its page and the save), `saving`; and `template`, the file to fill in.
Messages are in the active language: the uploader's on the pages, Django's default (Indonesian)
in the command.
"""

from skm.collection.importing.columns import FORMAT_LABELS, Column, Format, map_columns
from skm.collection.importing.judging import PROBLEMS_KEPT
from skm.collection.importing.keeping import kept, restored
from skm.collection.importing.preview import Preview
from skm.collection.importing.reading import LIMITS, MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, read
from skm.collection.importing.saving import NotClean, SaveResult, save
from skm.collection.importing.template import template_csv, template_guide, template_headers, template_xlsx
from skm.collection.importing.text import shorten
from skm.collection.importing.times import day_first, parse_time

__all__ = [
    "FORMAT_LABELS",
    "LIMITS",
    "MAX_UPLOAD_BYTES",
    "PROBLEMS_KEPT",
    "UPLOAD_SUFFIXES",
    "Column",
    "Format",
    "NotClean",
    "Preview",
    "SaveResult",
    "day_first",
    "kept",
    "map_columns",
    "parse_time",
    "read",
    "restored",
    "save",
    "shorten",
    "template_csv",
    "template_guide",
    "template_headers",
    "template_xlsx",
]
