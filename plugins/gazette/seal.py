"""The seal (电子印章, PAdES) on the built PDFs: what `gazette seal` signs, and how a build takes it up.

The build stays byte-for-byte reproducible: it writes unsealed PDFs. `gazette seal` signs the PDFs of the
last good build with the key configured in `GAZETTE_SEAL` (a PKCS#12 file outside the repository and the
web root; its password from an environment variable) and keeps each sealed copy in
`<output>/.cache/seal/<certificate>/`, named by the SHA-256 of the unsealed PDF it extends. It then builds
again; every build puts, in place of a PDF it wrote, the sealed copy of exactly those bytes made with the
configured certificate (a signature is an incremental update, so the sealed copy starts with the unsealed
bytes, which is checked). A PDF that changed is unsealed until the next `gazette seal`, and its page says
nothing of a seal. Without `GAZETTE_SEAL` nothing is sealed and no page mentions a seal.

PAdES B-LT where a timestamp service is configured (the signature timestamped, the chain's validation
data embedded), B-B otherwise. The key, the password and the PKCS#12 file are never logged or copied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import urls
from .checksums import sha256_file

FIELD = "GazetteSeal"
INDEX = "index.json"  # unsealed SHA-256 → sealed SHA-256, for the copies in one certificate's folder
CERTIFICATE = "certificate.pem"
CURRENT = "current"  # names the folder of the certificate `gazette seal` used last
RECORD = "seals.json"  # in a generation: the certificate and the PDFs it sealed there


class SealError(Exception):
    """A seal that cannot be made; the message (zh / en) says what to do. Never holds the password."""


@dataclass(frozen=True)
class SealSettings:
    """`GAZETTE_SEAL` in pelicanconf.py / publishconf.py:

        GAZETTE_SEAL = {"pkcs12": "/etc/gazette/seal.p12", "password_env": "GAZETTE_SEAL_PASSWORD",
                        "timestamp_url": "http://tsa.example/", "chain": ["/etc/gazette/ca.pem"],
                        "reason": "…", "location": "…"}
    """

    pkcs12: Path
    password_env: str
    timestamp_url: str = ""
    chain: tuple[Path, ...] = ()
    reason: str = "甘孜藏族自治州人民政府公报 电子印章 / official seal"
    location: str = ""

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SealSettings | None:
        raw = settings.get("GAZETTE_SEAL")
        if not raw:
            return None
        if not isinstance(raw, Mapping) or not raw.get("pkcs12") or not raw.get("password_env"):
            raise SealError("GAZETTE_SEAL 须写明 pkcs12（密钥文件路径）和 password_env（存放密码的环境变量名），"
                            "不得直接写密码 / GAZETTE_SEAL needs \"pkcs12\" (the key file's path) and \"password_env\" "
                            "(the name of the environment variable holding its password), never the password")
        if "password" in raw:
            raise SealError("GAZETTE_SEAL 中不得写密码：请删除 password，改用 password_env 指定的环境变量 / "
                            "never put the "
                            "password in GAZETTE_SEAL: remove \"password\" and set the variable named by password_env")
        chain = raw.get("chain") or ()
        chain = [chain] if isinstance(chain, (str, os.PathLike)) else chain
        if not isinstance(chain, (list, tuple)) or not all(isinstance(p, (str, os.PathLike)) for p in chain):
            raise SealError("GAZETTE_SEAL 的 chain 须是证书文件路径的列表，如 [\"/etc/gazette/ca.pem\"] / \"chain\" in "
                            "GAZETTE_SEAL is a list of certificate files' paths, e.g. [\"/etc/gazette/ca.pem\"]")
        return cls(pkcs12=Path(str(raw["pkcs12"])), password_env=str(raw["password_env"]),
                   timestamp_url=str(raw.get("timestamp_url") or ""),
                   chain=tuple(Path(str(p)) for p in chain),
                   reason=str(raw.get("reason") or cls.reason), location=str(raw.get("location") or ""))

    @property
    def level(self) -> str:
        return "PAdES B-LT" if self.timestamp_url else "PAdES B-B"


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def load_signer(seal: SealSettings, refuse_under: Iterable[Path] = ()) -> Any:
    """The signer from the PKCS#12 file, its password read from the environment. Every failure is a
    SealError naming the file or the variable, never the password."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509
    from pyhanko.sign import signers

    for folder in refuse_under:
        if _inside(seal.pkcs12, folder):
            raise SealError(f"密钥文件 {seal.pkcs12} 位于 {folder} 之下，可能被发布或提交："
                            f"请移到网站根目录和内容库之外 / "
                            f"the key file {seal.pkcs12} is under {folder}, where it could be published or committed: "
                            f"move it out of the web root and the repository")
    password = os.environ.get(seal.password_env)
    if not password:
        raise SealError(f"环境变量 {seal.password_env} 未设置：请在运行 gazette seal 的环境中设置密钥密码 / the "
                        f"environment variable {seal.password_env} is not set: set the key's password there before "
                        f"running gazette seal")
    try:
        data = seal.pkcs12.read_bytes()
    except OSError as exc:
        raise SealError(f"无法读取密钥文件 {seal.pkcs12}（{exc.strerror}）：请检查 GAZETTE_SEAL 的 pkcs12 / "
                        f"cannot read "
                        f"the key file {seal.pkcs12} ({exc.strerror}): check \"pkcs12\" in GAZETTE_SEAL") from None
    others = []
    for path in seal.chain:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SealError(f"无法读取证书链文件 {path}（{exc.strerror}）/ cannot read the chain file {path} "
                            f"({exc.strerror})") from None
        try:
            blobs = [der for _, _, der in asn1_pem.unarmor(raw, multiple=True)] if asn1_pem.detect(raw) else [raw]
            certificates = [x509.Certificate.load(der) for der in blobs]
            for certificate in certificates:
                certificate.native  # noqa: B018  (asn1crypto parses lazily: a bad one fails here, not later)
        except (ValueError, TypeError, KeyError):
            raise SealError(f"证书链文件 {path} 不是证书（PEM 或 DER）/ the chain file {path} is not a certificate "
                            "(PEM or DER)") from None
        others += certificates
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, others, passphrase=password.encode())
    except (ValueError, TypeError, AttributeError):  # a key file without a key fails inside pyHanko
        signer = None
    if signer is None or getattr(signer, "signing_cert", None) is None:
        raise SealError(f"无法打开密钥文件 {seal.pkcs12}：密码错误，文件不是 PKCS#12（.p12/.pfx），或其中没有私钥和"
                        f"证书；请检查环境变量 {seal.password_env} / cannot open the key file {seal.pkcs12}: the "
                        f"password is wrong, the file is not PKCS#12 (.p12/.pfx), or it holds no private key with its "
                        f"certificate; check the environment variable {seal.password_env}")
    return signer


def fingerprint(signer: Any) -> str:
    """SHA-256 of the signing certificate (DER), as readers compare it: hex pairs."""
    return signer.signing_cert.sha256.hex().upper()


def seal_pdf(source: Path, target: Path, signer: Any, seal: SealSettings) -> None:
    """Sign `source` into `target` (an incremental update), through a temporary file renamed into place:
    a seal stopped half-way leaves no half-sealed file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    validation = None
    if seal.timestamp_url:
        from pyhanko_certvalidator import ValidationContext

        # The chain's self-signed certificates (the provider's root and the timestamp service's, from the
        # .p12 or `chain`) are the trust roots of the validation data embedded: a national provider's root
        # is often not in the system's store, which pyHanko no longer wants to rely on.
        certificates = list(signer.cert_registry)
        roots = [c for c in certificates if c.self_signed in ("yes", "maybe")]
        validation = ValidationContext(allow_fetching=True, other_certs=certificates, trust_roots=roots or None)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=seal.reason, location=seal.location or None,
        embed_validation_info=bool(seal.timestamp_url), validation_context=validation)
    timestamper = HTTPTimeStamper(seal.timestamp_url) if seal.timestamp_url else None
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with source.open("rb") as handle, temporary.open("wb") as out:
            writer = IncrementalPdfFileWriter(handle, strict=False)
            signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer, output=out)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@dataclass
class SealStore:
    """One certificate's sealed copies in `<output>/.cache/seal/<fingerprint>/`."""

    folder: Path

    @classmethod
    def for_certificate(cls, cache: Path, cert_fingerprint: str) -> SealStore:
        return cls(cache / "seal" / cert_fingerprint[:32].lower())

    @classmethod
    def current(cls, cache: Path) -> SealStore | None:
        try:
            name = (cache / "seal" / CURRENT).read_text(encoding="ascii").strip()
        except OSError:
            return None
        folder = cache / "seal" / name
        return cls(folder) if name.isalnum() and (folder / CERTIFICATE).is_file() else None

    def index(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def write_index(self, index: dict[str, str]) -> None:
        _write_atomic(self.folder / INDEX, json.dumps(index, indent=0, sort_keys=True).encode())

    def copy_for(self, digest: str) -> Path:
        return self.folder / f"{digest}.pdf"

    def certificate(self) -> tuple[str, str]:
        """(PEM, fingerprint) of the certificate this folder's copies were sealed with."""
        from asn1crypto import pem as asn1_pem
        from asn1crypto import x509

        text = (self.folder / CERTIFICATE).read_text(encoding="ascii")
        _, _, der = asn1_pem.unarmor(text.encode())
        return text, x509.Certificate.load(der).sha256.hex().upper()

    def make_current(self, signer: Any) -> None:
        from asn1crypto import pem as asn1_pem

        self.folder.mkdir(parents=True, exist_ok=True)
        pem = asn1_pem.armor("CERTIFICATE", signer.signing_cert.dump())
        _write_atomic(self.folder / CERTIFICATE, pem)
        _write_atomic(self.folder.parent / CURRENT, self.folder.name.encode())


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _extends(sealed: Path, unsealed_size: int, digest: str) -> bool:
    """A sealed copy begins with exactly the unsealed bytes (the signature is appended to them)."""
    h, left = hashlib.sha256(), unsealed_size
    with sealed.open("rb") as handle:
        while left:
            block = handle.read(min(left, 1 << 20))
            if not block:
                return False
            h.update(block)
            left -= len(block)
    return h.hexdigest() == digest


def apply_seals(site: Path, pdf_files: dict[str, int], cache: Path, settings: Mapping[str, Any],
                digests: dict[str, str] | None = None, previous_site: Path | None = None) -> dict[str, Any]:
    """In a build, after the PDF stage: each PDF of `pdf_files` (URL → size) whose sealed copy the
    configured certificate's store holds is replaced by it; `pdf_files` and `digests` (URL → SHA-256,
    from the PDF stage; read from the files where missing) get the served file's size and checksum.
    Returns the record the site shows (nothing without a seal configured): the certificate and the
    sealed URLs.

    A sealed copy is checked to begin with exactly the unsealed bytes the first time a build takes it
    up; a later build that finds the same file (inode) in the last good output takes it on that check."""
    if SealSettings.from_settings(settings) is None:
        return {}
    store = SealStore.current(cache)
    if store is None:
        return {}
    digests = digests if digests is not None else {}
    index = store.index()
    already = set(index.values())
    sealed: list[str] = []
    for url in sorted(pdf_files):
        path = site / urls.output_path(url)
        if not path.is_file():
            continue
        digest = digests.get(url) or sha256_file(path)
        digests[url] = digest
        if digest in already:  # carried over from a build that took it up already
            sealed.append(url)
            continue
        copy = store.copy_for(digest)
        if digest not in index or not copy.is_file():
            continue
        if not (_same_file(copy, previous_site / urls.output_path(url)) if previous_site else False) and \
                not _extends(copy, path.stat().st_size, digest):
            continue
        temporary = path.with_name(f".{path.name}.sealed.tmp")
        temporary.unlink(missing_ok=True)
        try:
            os.link(copy, temporary)
        except OSError:
            shutil.copyfile(copy, temporary)
        os.replace(temporary, path)  # never written in place: the unsealed file is the PDF cache's
        pdf_files[url], digests[url] = path.stat().st_size, index[digest]
        sealed.append(url)
    if not sealed:
        return {}
    pem, cert_fingerprint = store.certificate()
    return {"fingerprint": cert_fingerprint, "certificate": pem, "sealed": sealed}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_record(generation: Path, record: dict[str, Any]) -> None:
    (generation / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def read_record(generation: Path) -> dict[str, Any]:
    """What `apply_seals` found in this generation ({} when nothing is sealed)."""
    try:
        data = json.loads((generation / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def certificate_details(pem: str) -> dict[str, str]:
    """Who the certificate names and until when, for the verification page."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509

    _, _, der = asn1_pem.unarmor(pem.encode())
    cert = x509.Certificate.load(der)
    return {"subject": cert.subject.human_friendly, "issuer": cert.issuer.human_friendly,
            "not_before": cert.not_valid_before.astimezone(dt.UTC).strftime("%Y-%m-%d"),
            "not_after": cert.not_valid_after.astimezone(dt.UTC).strftime("%Y-%m-%d"),
            "serial": format(cert.serial_number, "X")}

