"""Checks of identity numbers and uploaded scans, with Russian messages for the form."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from recipients.models import ALLOWED_SCAN_TYPES, MAX_SCAN_SIZE

SNILS_CHECK_FROM = 1_001_998  # numbers up to 001-001-998 carry no checked control sum


def snils_checksum(digits: str) -> int:
    """The control number of a SNILS from its nine digits (weights 9..1, modulo 101)."""
    total = sum(int(d) * w for d, w in zip(digits, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    total %= 101
    return 0 if total == 100 else total


def format_snils(digits: str) -> str:
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def normalise_snils(value: str) -> str:
    """«12345678964», «123-456-789 64» → «123-456-789 64»; raises ValidationError if wrong."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = re.sub(r"[\s\-]", "", value)
    if not re.fullmatch(r"\d{11}", digits):
        raise ValidationError("СНИЛС состоит из 11 цифр: ХХХ-ХХХ-ХХХ ХХ.", code="snils_format")
    number, control = digits[:9], int(digits[9:])
    if int(number) > SNILS_CHECK_FROM and snils_checksum(number) != control:
        raise ValidationError(
            "СНИЛС введён с ошибкой: не сходится контрольное число. Проверьте цифры.",
            code="snils_checksum",
        )
    return format_snils(digits)


SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def sniff_scan_type(head: bytes) -> str | None:
    for content_type, magics in SIGNATURES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


def validate_scan(upload: UploadedFile) -> str:
    """The content type of an uploaded scan, judged by its first bytes, not its name."""
    if upload.size is not None and upload.size > MAX_SCAN_SIZE:
        raise ValidationError(
            f"Файл больше {MAX_SCAN_SIZE // (1024 * 1024)} МБ. Отсканируйте с меньшим "
            "разрешением или разделите документ.",
            code="scan_too_large",
        )
    if not upload.size:
        raise ValidationError("Файл пустой.", code="scan_empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_scan_type(head)
    if content_type not in ALLOWED_SCAN_TYPES:
        raise ValidationError(
            "Можно загрузить только PDF, JPEG или PNG (проверяется содержимое файла).",
            code="scan_type",
        )
    return content_type
