"""Digital signatures of a PDF, read offline from the file bytes.

Only a file that holds ``/ByteRange`` is looked at, and only then are the libraries imported:
pikepdf (qpdf) walks the form fields and opens earlier revisions, asn1crypto parses the CMS
signature, cryptography checks it. Nothing is fetched: no OCSP, CRL or timestamp requests.

For each signature field with a value:

* ``intact``: the byte ranges hash to the CMS ``messageDigest`` and the signer's key verifies the
  signature (false when either fails or the signature data is malformed; null when the
  algorithm is one this module cannot check);
* ``covers_whole_file``: the ranges run from the first byte to the end of the file as it is;
* ``modified_after``: a later incremental update changed the document's content. Each object
  that a later update redefines is compared with its state in the signed revision; adding
  signatures, signature or form fields, annotations, appearances, fonts, XMP metadata and the
  document information dictionary does not count, any other difference does (page content,
  resources, the page tree). A new object only matters through an existing one that points to
  it, so new objects are not compared;
* ``trusted``: only when trust roots are given: the signer's certificate chains, through the
  certificates the signature carries, to one of them, each link valid at the signing time.

Malformed, truncated or hostile signature data gives a warning and a field with nulls, never an
exception: every loop is bounded and every library call is guarded.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from ..document import RawSignature

MAX_FIELDS = 500
MAX_FIELD_DEPTH = 8
MAX_CONTENTS_BYTES = 1_000_000
MAX_CANDIDATES = 20_000
MAX_CHAIN = 8

_PDF_DATE_RE = re.compile(
    rb"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?"
)
_OBJ_KEYWORD_RE = re.compile(rb"[ \t\r\n\f\0]obj\b")
_OBJ_HEAD_RE = re.compile(rb"(?<![\d.])(\d{1,7})[ \t\r\n\f\0]+(\d{1,5})$")
_XREF_ENTRY_RE = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_XREF_SUB_RE = re.compile(rb"(\d{1,7}) (\d{1,7})[ \t]*[\r\n]")

_HASHES = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512"}
_BENIGN_TYPES = frozenset(
    ("/Sig", "/DocTimeStamp", "/Annot", "/Metadata", "/DSS", "/VRI", "/Font", "/FontDescriptor")
)
_CATALOG_KEYS = frozenset(("/AcroForm", "/DSS", "/Metadata", "/Perms", "/Extensions"))
_PAGE_KEYS = frozenset(("/Annots",))


def has_signatures(data: bytes) -> bool:
    """Whether the file may hold signature fields (cheap test on the raw bytes)."""
    return b"/ByteRange" in data


def read_signatures(
    data: bytes, *, password: str | None = None, trust_roots: Sequence[Any] | None = None
) -> tuple[list[RawSignature], list[str]]:
    """The signatures of a PDF, in field order, and warnings; ``([], [])`` for an unsigned file."""
    if not has_signatures(data):
        return [], []
    try:
        import pikepdf
    except ImportError:  # pragma: no cover - pikepdf is a base dependency
        return [], ["signature_unread: pikepdf is not installed, signatures were not read"]
    warnings: list[str] = []
    try:
        pdf = pikepdf.open(io.BytesIO(data), password=password or "")
    except Exception as exc:
        return [], [f"signature_unreadable: the signature data could not be read ({type(exc).__name__})"]
    try:
        found = list(_signature_fields(pdf))
        pages = _annot_pages(pdf)
        out: list[tuple[RawSignature, int | None]] = []
        for name, widget, value in found:
            sig, end = _one(data, name, value, trust_roots, warnings)
            sig.page = pages.get(_objgen(widget))
            out.append((sig, end))
        _modifications(pdf, data, out, password, warnings)
        return [s for s, _ in out], warnings
    except Exception as exc:  # a library failure on hostile input is a warning, never a crash
        return [], [f"signature_unreadable: the signature data could not be read ({type(exc).__name__})"]
    finally:
        pdf.close()


# --- fields -----------------------------------------------------------------------------------------


def _objgen(obj: Any) -> tuple[int, int]:
    try:
        og = obj.objgen
        return (int(og[0]), int(og[1]))
    except Exception:
        return (0, 0)


def _signature_fields(pdf: Any) -> Iterator[tuple[str, Any, Any]]:
    """(full field name, widget, signature value dict) of each signed signature field."""
    import pikepdf

    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return
    fields = form.get("/Fields")
    if not isinstance(fields, pikepdf.Array):
        return
    seen: set[tuple[int, int]] = set()
    count = 0
    stack: list[tuple[Any, str, Any, int]] = [(f, "", None, 0) for f in reversed(list(fields)[:MAX_FIELDS])]
    while stack and count < MAX_FIELDS:
        node, prefix, ft, depth = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        og = _objgen(node)
        if og != (0, 0):
            if og in seen:
                continue
            seen.add(og)
        count += 1
        part = node.get("/T")
        name = f"{prefix}.{part}" if prefix and part is not None else (str(part) if part is not None else prefix)
        ft = node.get("/FT", ft)
        kids = node.get("/Kids")
        kid_list = list(kids)[:MAX_FIELDS] if isinstance(kids, pikepdf.Array) else []
        value = node.get("/V")
        if ft == "/Sig" and isinstance(value, pikepdf.Dictionary):
            widget = node if "/Rect" in node or not kid_list else kid_list[0]
            yield name or "?", widget, value
        elif kid_list and depth < MAX_FIELD_DEPTH:
            stack.extend((k, name, ft, depth + 1) for k in reversed(kid_list))


def _annot_pages(pdf: Any) -> dict[tuple[int, int], int]:
    import pikepdf

    out: dict[tuple[int, int], int] = {}
    for i, page in enumerate(pdf.pages):
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            for a in list(annots)[:MAX_FIELDS]:
                out.setdefault(_objgen(a), i + 1)
    return out


# --- one signature -------------------------------------------------------------------------------------


def _one(
    data: bytes, name: str, value: Any, trust_roots: Sequence[Any] | None, warnings: list[str]
) -> tuple[RawSignature, int | None]:
    """The facts of one signature value dictionary, and the end of the revision it signs."""
    sig = RawSignature(field=name)
    m = value.get("/M")
    when = _pdf_date(bytes(m)) if m is not None and _is_string(m) else None
    br = _byte_range(value.get("/ByteRange"), len(data))
    contents = value.get("/Contents")
    raw_contents = bytes(contents) if contents is not None and _is_string(contents) else b""
    if br is None:
        sig.intact = False
        warnings.append(f"signature_invalid: field '{name}' has no usable byte range")
        sig.signed_at = when
        return sig, None
    o1, l1, o2, l2 = br
    end = o2 + l2
    sig.covers_whole_file = o1 == 0 and not data[end:].strip(b"\x00\t\n\r\f ")
    gap = data[o1 + l1 : o2]
    if not (gap[:1] == b"<" and gap[-1:] == b">"):
        sig.intact = False
        warnings.append(f"signature_invalid: field '{name}' leaves bytes other than its signature unsigned")
        sig.signed_at = when
        return sig, end
    if not raw_contents or len(raw_contents) > MAX_CONTENTS_BYTES:
        sig.intact = False
        warnings.append(f"signature_invalid: field '{name}' has no signature data")
        sig.signed_at = when
        return sig, end
    try:
        info = _cms(raw_contents)
    except Exception:
        info = None
    if info is None:
        sig.intact = False
        sig.signed_at = when
        warnings.append(f"signature_invalid: field '{name}' holds malformed signature data")
        return sig, end
    cert, certs, signer_info, signed_time = info
    if cert is not None:
        subject = _subject(cert)
        sig.subject = subject
        sig.signer = subject.get("common_name")
        org = [v for k in ("organization_name", "organizational_unit_name") if (v := subject.get(k))]
        sig.organization = ", ".join(dict.fromkeys(org)) or None
        sig.email = subject.get("email_address") or _san_email(cert)
    sig.signed_at = when or signed_time
    sig.intact = _check(data, (o1, l1, o2, l2), cert, signer_info)
    if sig.intact is None:
        warnings.append(f"signature_unchecked: field '{name}' uses an algorithm that cannot be checked here")
    elif not sig.intact:
        warnings.append(f"signature_invalid: the signature of field '{name}' does not match the signed bytes")
    if trust_roots is not None and cert is not None:
        sig.trusted = _trusted(cert, certs, trust_roots, sig.signed_at)
    return sig, end


def _is_string(obj: Any) -> bool:
    import pikepdf

    return isinstance(obj, pikepdf.String)


def _byte_range(obj: Any, size: int) -> tuple[int, int, int, int] | None:
    import pikepdf

    if not isinstance(obj, pikepdf.Array) or len(obj) != 4:
        return None
    try:
        vals = [int(v) for v in obj]
    except (TypeError, ValueError):
        return None
    o1, l1, o2, l2 = vals
    if min(vals) < 0 or o1 + l1 > o2 or o2 + l2 > size or o2 - (o1 + l1) > 2 * MAX_CONTENTS_BYTES + 2:
        return None
    return o1, l1, o2, l2


def _pdf_date(raw: bytes) -> str | None:
    """``D:20251219151036+07'00'`` -> ``2025-12-19T15:10:36+07:00`` (no offset written: none given)."""
    m = _PDF_DATE_RE.match(raw.strip()[:40])
    if not m:
        return None
    y, mo, d, h, mi, s, z, sign, oh, om = m.groups()
    try:
        tz: dt.tzinfo | None = None
        if z:
            tz = dt.timezone.utc
        elif sign:
            delta = dt.timedelta(hours=int(oh), minutes=int(om or 0))
            tz = dt.timezone(delta if sign == b"+" else -delta)
        value = dt.datetime(
            int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz
        )
    except (ValueError, OverflowError):
        return None
    return value.isoformat()


def _cms(contents: bytes) -> tuple[Any, list[Any], Any, str | None] | None:
    """(signer certificate, all certificates, signer info, signing time) of a CMS signature."""
    from asn1crypto import (
        cms,
        tsp,  # noqa: F401  (registers the signing-certificate attributes in cms's
    )
    # OID maps before their reverse map is first built; a later import, by pyHanko say, then fails)

    info = cms.ContentInfo.load(contents.rstrip(b"\x00") or b"\x00", strict=False)
    if info["content_type"].native != "signed_data":
        return None
    sd = info["content"]
    signer_infos = sd["signer_infos"]
    if len(signer_infos) < 1:
        return None
    si = signer_infos[0]
    certs = [c.chosen for c in sd["certificates"] if c.name == "certificate"] if sd["certificates"] else []
    sid = si["sid"]
    cert = None
    for c in certs:
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"]
            if c.serial_number == sid.chosen["serial_number"].native and c.issuer.dump() == issuer.dump():
                cert = c
                break
        elif c.key_identifier == sid.chosen.native:
            cert = c
            break
    signed_time = None
    attrs = si["signed_attrs"]
    if attrs:
        for a in attrs:
            if a["type"].native == "signing_time" and len(a["values"]):
                t = a["values"][0].native
                if isinstance(t, dt.datetime):
                    signed_time = t.isoformat()
    return cert, certs, si, signed_time


def _subject(cert: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        native = cert.subject.native
    except Exception:
        return out
    for k, v in native.items():
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        out[str(k)] = unicodedata.normalize("NFC", " ".join(str(v).split()))
    return out


def _san_email(cert: Any) -> str | None:
    try:
        san = cert.subject_alt_name_value
    except Exception:
        return None
    if not san:
        return None
    for name in san:
        if name.name == "rfc822_name":
            return str(name.native)
    return None


def _check(data: bytes, br: tuple[int, int, int, int], cert: Any, si: Any) -> bool | None:
    """Whether the signed bytes are unmodified: digest and signature both verify."""
    try:
        alg = si["digest_algorithm"]["algorithm"].native
    except Exception:
        return False
    if alg not in _HASHES:
        return None
    o1, l1, o2, l2 = br
    h = hashlib.new(alg)
    h.update(data[o1 : o1 + l1])
    h.update(data[o2 : o2 + l2])
    digest = h.digest()
    attrs = si["signed_attrs"]
    if attrs:
        md = None
        for a in attrs:
            if a["type"].native == "message_digest" and len(a["values"]):
                md = a["values"][0].native
        if md != digest:
            return False
        signed = hashlib.new(alg, attrs.untag().dump()).digest()
    else:
        signed = digest
    if cert is None:
        return False
    return _verify(cert, si, alg, signed)


def _verify(cert: Any, si: Any, alg: str, prehashed: bytes) -> bool | None:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

    hash_cls: Any = {
        "md5": hashes.MD5, "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
        "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha3_224": hashes.SHA3_224,
        "sha3_256": hashes.SHA3_256, "sha3_384": hashes.SHA3_384, "sha3_512": hashes.SHA3_512,
    }[alg]
    try:
        key = x509.load_der_x509_certificate(cert.dump()).public_key()
        signature = si["signature"].native
        sig_alg = si["signature_algorithm"]
        mech = sig_alg["algorithm"].native
        chosen = utils.Prehashed(hash_cls())
        if isinstance(key, rsa.RSAPublicKey):
            if mech == "rsassa_pss":
                params = sig_alg["parameters"]
                salt = int(params["salt_length"].native)
                mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
                mgf_cls: Any = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
                           "sha512": hashes.SHA512}.get(mgf_hash)
                if mgf_cls is None:
                    return None
                key.verify(signature, prehashed, padding.PSS(padding.MGF1(mgf_cls()), salt), chosen)
            else:
                key.verify(signature, prehashed, padding.PKCS1v15(), chosen)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, prehashed, ec.ECDSA(chosen))
        else:
            return None
    except InvalidSignature:
        return False
    except (UnsupportedAlgorithm, KeyError):
        return None
    except (ValueError, TypeError):
        return False
    return True


def _trusted(cert: Any, certs: list[Any], roots: Sequence[Any], when: str | None) -> bool:
    """Whether ``cert`` chains to one of ``roots`` (cryptography certificates) at ``when``."""
    from cryptography import x509

    try:
        moment = dt.datetime.fromisoformat(when) if when else dt.datetime.now(dt.timezone.utc)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        leaf = x509.load_der_x509_certificate(cert.dump())
        pool = [x509.load_der_x509_certificate(c.dump()) for c in certs]
    except Exception:
        return False
    root_prints = {r.fingerprint(r.signature_hash_algorithm or _sha256()) for r in roots if _hash_ok(r)}
    current = leaf
    for _ in range(MAX_CHAIN):
        if not _valid_at(current, moment):
            return False
        if _hash_ok(current) and current.fingerprint(current.signature_hash_algorithm or _sha256()) in root_prints:
            return True
        issuer = _issuer(current, roots)
        if issuer is not None:
            return _valid_at(issuer, moment)
        issuer = _issuer(current, [c for c in pool if c != current])
        if issuer is None:
            return False
        current = issuer
    return False


def _sha256() -> Any:
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


def _hash_ok(cert: Any) -> bool:
    try:
        return cert.signature_hash_algorithm is not None
    except Exception:
        return False


def _valid_at(cert: Any, moment: dt.datetime) -> bool:
    try:
        return bool(cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc)
    except Exception:
        return False


def _issuer(cert: Any, candidates: Sequence[Any]) -> Any:
    for c in candidates:
        if c.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(c)
        except Exception:
            continue
        return c
    return None


def trust_roots(value: Any) -> list[Any] | None:
    """Trust roots as given to ``parse_notice``: None, a PEM/DER file path, or certificates."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        return _roots_from_file(os.fspath(value))
    return list(value)


@functools.cache
def _roots_from_file(path: str) -> list[Any]:
    return load_trust_roots(path)


def load_trust_roots(path: str) -> list[Any]:
    """The certificates of a PEM (or DER) file; ``ValueError`` when it holds none."""
    from cryptography import x509

    with open(path, "rb") as fh:
        blob = fh.read(10_000_000)
    certs: list[Any] = []
    if b"-----BEGIN" in blob:
        try:
            certs = list(x509.load_pem_x509_certificates(blob))
        except ValueError:
            certs = []
    else:
        try:
            certs = [x509.load_der_x509_certificate(blob)]
        except ValueError:
            certs = []
    if not certs:
        raise ValueError(f"{path}: no certificate found (expected PEM or DER)")
    return certs


# --- later revisions --------------------------------------------------------------------------------


def _modifications(
    pdf: Any, data: bytes, sigs: list[tuple[RawSignature, int | None]], password: str | None, warnings: list[str]
) -> None:
    """Fill ``modified_after`` for each signature (see the module docstring).

    A change after an earlier signature is also after every earlier one, so the earliest signed
    revision is compared first; when it shows no change, none does. Otherwise the signatures
    are checked from the latest back until one shows the change.
    """
    ends = sorted({e for _, e in sigs if e is not None})
    verdict: dict[int, bool | None] = {}
    for sig, end in sigs:
        if end is not None and sig.covers_whole_file:
            verdict[end] = False
    pending = [e for e in ends if e not in verdict]
    if pending:
        first = _changed_since(pdf, data, pending[0], password)
        verdict[pending[0]] = first
        if first:
            found = False
            for e in reversed(pending[1:]):
                if found:
                    verdict[e] = True
                    continue
                verdict[e] = _changed_since(pdf, data, e, password)
                found = bool(verdict[e])
        elif first is False:
            for e in pending[1:]:
                verdict[e] = False
    for sig, end in sigs:
        if end is None:
            continue
        sig.modified_after = verdict.get(end)
        if sig.modified_after:
            warnings.append(
                f"signature_modified_after_signing: the document content was changed after field "
                f"'{sig.field}' was signed"
            )


def _changed_since(pdf: Any, data: bytes, end: int, password: str | None) -> bool | None:
    """Whether the document (as it is now) differs in content from the revision ending at ``end``."""
    import pikepdf

    try:
        old = pikepdf.open(io.BytesIO(data[:end]), password=password or "")
    except Exception:
        return None
    try:
        later = data[end:]
        candidates = _defined_objects(pdf, later)
        if _objgen(old.Root) != _objgen(pdf.Root):
            candidates.add(_objgen(pdf.Root))
            if _differs(old.Root, pdf.Root, old):
                return True
        info = old.trailer.get("/Info")
        info_og = _objgen(info) if info is not None else None
        for og in sorted(candidates)[:MAX_CANDIDATES]:
            if og == info_og:
                continue
            before = old.get_object(og)
            if before is None:
                continue  # new in a later revision: matters only through an existing object
            after = pdf.get_object(og)
            if after is None:
                return True  # an object of the signed revision was deleted
            if _differs(before, after, old):
                return True
        return False
    except Exception:
        return None
    finally:
        old.close()


def _defined_objects(pdf: Any, later: bytes) -> set[tuple[int, int]]:
    """Objects (re)defined by the bytes of later revisions: object headers, object streams and
    xref-table entries (a free entry deletes an object)."""
    import pikepdf

    out: set[tuple[int, int]] = set()
    for k in _OBJ_KEYWORD_RE.finditer(later):
        m = _OBJ_HEAD_RE.search(later, max(0, k.start() - 24), k.start())
        if m is None:
            continue
        out.add((int(m.group(1)), int(m.group(2))))
        if len(out) > MAX_CANDIDATES:
            break
    for og in list(out):
        obj = pdf.get_object(og)
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == "/ObjStm":
            try:
                n = int(obj.get("/N", 0))
                head = obj.read_bytes()[: int(obj.get("/First", 0))]
            except Exception:
                continue
            nums = head.split()[: 2 * min(n, MAX_CANDIDATES)]
            out.update((int(nums[i]), 0) for i in range(0, len(nums) - 1, 2) if nums[i].isdigit())
    pos = 0
    while (at := later.find(b"xref", pos)) != -1 and len(out) <= MAX_CANDIDATES:
        j = _skip_space(later, at + 4)
        while (sub := _XREF_SUB_RE.match(later, j)) is not None:
            first, count = int(sub.group(1)), int(sub.group(2))
            j = sub.end()
            for i in range(min(count, MAX_CANDIDATES)):
                e = _XREF_ENTRY_RE.match(later, j)
                if e is None:
                    break
                j = _skip_space(later, e.end())
                if e.group(3) == b"f" and first + i > 0:
                    out.add((first + i, max(int(e.group(2)) - 1, 0)))
            j = _skip_space(later, j)
        pos = max(j, at + 4)
    return out


def _skip_space(data: bytes, i: int) -> int:
    while i < len(data) and data[i] in b" \t\r\n":
        i += 1
    return i


def _differs(before: Any, after: Any, old: Any) -> bool:
    """Whether an object's change between two revisions is a content change."""
    import pikepdf

    if isinstance(before, pikepdf.Stream) or isinstance(after, pikepdf.Stream):
        if not (isinstance(before, pikepdf.Stream) and isinstance(after, pikepdf.Stream)):
            return True
        if before.get("/Type") == "/Metadata" or before.get("/Type") in _BENIGN_TYPES - {"/Font"}:
            return False
        try:
            if before.read_raw_bytes() != after.read_raw_bytes():
                return True
        except Exception:
            return True
        return _dict_items(before) != _dict_items(after)
    if isinstance(before, pikepdf.Dictionary) and isinstance(after, pikepdf.Dictionary):
        kind = before.get("/Type")
        if kind in ("/Annot", "/Sig", "/DocTimeStamp", "/DSS", "/VRI") or "/FT" in before or "/Fields" in before:
            return False  # annotations, form and signature fields, validation data
        a, b = _dict_items(before), _dict_items(after)
        changed = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
        if not changed:
            return False
        if kind == "/Catalog":
            return not changed <= _CATALOG_KEYS
        if kind == "/Page":
            return not changed <= _PAGE_KEYS
        return True
    if isinstance(before, pikepdf.Array) and isinstance(after, pikepdf.Array):
        old_items = [_unparse(x) for x in before]
        new_items = [_unparse(x) for x in after]
        if old_items == new_items:
            return False
        added = [x for x in after if _unparse(x) not in set(old_items)]
        kept = all(x in new_items for x in old_items)
        return not (kept and all(_is_annotation(x) for x in added))
    return _unparse(before) != _unparse(after)


def _dict_items(obj: Any) -> dict[str, bytes]:
    return {str(k): _unparse(v) for k, v in obj.items() if k not in ("/Length",)}


def _unparse(obj: Any) -> bytes:
    try:
        if getattr(obj, "is_indirect", False):
            return f"{obj.objgen[0]} {obj.objgen[1]} R".encode()
        return bytes(obj.unparse())
    except Exception:
        return repr(obj).encode()


def _is_annotation(obj: Any) -> bool:
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary) and (
        obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj) or "/FT" in obj
    )
