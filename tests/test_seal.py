"""The seal: PDFs from the session's small issue signed with a throwaway certificate, validated by pyHanko
and poppler's pdfsig; a changed byte fails both; the key's password is a clear error, never shown; a build
takes up a sealed copy only of exactly the bytes it wrote."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from gazette import urls
from gazette.checksums import sha256_file
from gazette.cli import main
from gazette.pdf import readback
from gazette.seal import SealError, SealSettings, SealStore, apply_seals, load_signer, seal_pdf
from pdf_corpus import Built
from seal_keys import Keys, make_keys, timestamp_service

ENV = "GAZETTE_TEST_SEAL_PASSWORD"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return make_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def seal_settings(keys: Keys) -> SealSettings:
    return SealSettings(pkcs12=keys.pkcs12, password_env=ENV)


@pytest.fixture(scope="module")
def signer(keys: Keys, seal_settings: SealSettings):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, keys.password)
        return load_signer(seal_settings)


@pytest.fixture(scope="module")
def sealed(issue_pdfs: Built, signer, seal_settings: SealSettings, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, Path]:
    """The issue's Chinese edition and its PDF/A copy, sealed."""
    issue = issue_pdfs.publication.issues[0]
    folder = tmp_path_factory.mktemp("sealed")
    out = {}
    for url in (urls.issue_pdf(issue.year, issue.number, "zh"), urls.issue_pdfa(issue.year, issue.number, "zh")):
        out[url] = folder / Path(url).name
        seal_pdf(issue_pdfs.pdf(url), out[url], signer, seal_settings)
    return out


def _pyhanko_status(path: Path, keys: Keys):
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _, _, der = pem.unarmor(keys.ca_pem.read_bytes())
    with path.open("rb") as handle:
        signatures = PdfFileReader(handle, strict=False).embedded_signatures
        assert len(signatures) == 1
        return validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[x509.Certificate.load(der)]))


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout


def _tampered(path: Path, folder: Path) -> Path:
    """One byte of the signed content changed (a letter of the producer's name, so the PDF still parses)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"WeasyPrint")
    data[at] = ord("w")
    target = folder / f"tampered-{path.name}"
    target.write_bytes(bytes(data))
    return target


def test_a_sealed_pdf_validates_and_a_changed_byte_fails(sealed: dict[str, Path], keys: Keys, issue_pdfs: Built,
                                                        tmp_path: Path) -> None:
    for url, path in sealed.items():
        unsealed = issue_pdfs.pdf(url).read_bytes()
        assert path.read_bytes().startswith(unsealed)  # an incremental update: the build's bytes, then the seal
        status = _pyhanko_status(path, keys)
        assert status.intact and status.valid and status.bottom_line, status.pretty_print_details()
        assert status.signing_cert.sha256.hex().upper() == keys.fingerprint
        report = _pdfsig(path)
        assert "Signature is Valid" in report and "Total document signed" in report, report
        assert "CN=Gazette seal" in report

        changed = _tampered(path, tmp_path)
        status = _pyhanko_status(changed, keys)
        assert not status.intact and not status.bottom_line
        assert "Signature is Valid" not in _pdfsig(changed)


def test_a_sealed_archive_copy_is_still_declared_pdfa(sealed: dict[str, Path]) -> None:
    pdfa = next(path for url, path in sealed.items() if url.endswith(".pdfa.pdf"))
    assert readback.archive_conformance(pdfa) == ("3", "B")


def test_the_password_missing_or_wrong_is_a_clear_error(keys: Keys, seal_settings: SealSettings,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(SealError) as missing:
        load_signer(seal_settings)
    assert ENV in str(missing.value) and "未设置" in str(missing.value) and "is not set" in str(missing.value)
    monkeypatch.setenv(ENV, "not the password")
    with pytest.raises(SealError) as wrong:
        load_signer(seal_settings)
    message = str(wrong.value)
    assert "密码错误" in message and "password is wrong" in message and "not the password" not in message
    monkeypatch.setenv(ENV, keys.password)
    with pytest.raises(SealError, match="web root"):
        load_signer(seal_settings, refuse_under=[keys.pkcs12.parent])


def test_the_settings_never_hold_the_password(keys: Keys) -> None:
    assert SealSettings.from_settings({}) is None
    with pytest.raises(SealError, match="never the password"):
        SealSettings.from_settings({"GAZETTE_SEAL": {"pkcs12": str(keys.pkcs12)}})
    with pytest.raises(SealError, match="never put the password"):
        SealSettings.from_settings({"GAZETTE_SEAL": {"pkcs12": str(keys.pkcs12), "password_env": ENV,
                                                     "password": keys.password}})


def test_the_command_exits_1_on_a_wrong_password_and_does_nothing(keys: Keys, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    conf = tmp_path / "sealconf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(root)!r})\nfrom pelicanconf import *  # noqa\n"
                    f"THEME = {str(root / 'themes/gazette')!r}\n"
                    f"GAZETTE_SEAL = {{'pkcs12': {str(keys.pkcs12)!r}, 'password_env': {ENV!r}}}\n")
    monkeypatch.setenv(ENV, "wrong")
    output = tmp_path / "build"
    assert main(["seal", "--output", str(output), "--content", str(root / "content"), "--settings", str(conf)]) == 1
    err = capsys.readouterr().err
    assert "密码错误" in err and "password is wrong" in err and "wrong" not in err.replace("is wrong", "")
    assert not output.exists()  # nothing written, not even a lock


def _generation(issue_pdfs: Built, folder: Path) -> tuple[Path, dict[str, int]]:
    site = folder / "site"
    files = {}
    for url in issue_pdfs.report.files:
        target = site / urls.output_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(issue_pdfs.pdf(url), target)
        files[url] = target.stat().st_size
    return site, files


def test_a_build_takes_up_only_the_sealed_copy_of_the_bytes_it_wrote(issue_pdfs: Built, signer, keys: Keys,
                                                                     sealed: dict[str, Path],
                                                                     tmp_path: Path) -> None:
    site, files = _generation(issue_pdfs, tmp_path)
    cache = tmp_path / ".cache"
    store = SealStore.for_certificate(cache, keys.fingerprint)
    store.make_current(signer)
    issue = issue_pdfs.publication.issues[0]
    good, forged = urls.issue_pdf(issue.year, issue.number, "zh"), urls.issue_pdf(issue.year, issue.number, "bo")
    index = {}
    for url in (good, forged):
        # The Chinese edition's sealed copy under both names: for the Tibetan edition, a copy that does
        # not extend its bytes, which must never be served.
        digest = sha256_file(site / urls.output_path(url))
        shutil.copyfile(sealed[good], store.copy_for(digest))
        index[digest] = sha256_file(store.copy_for(digest))
    store.write_index(index)
    before = {url: sha256_file(site / urls.output_path(url)) for url in files}

    assert apply_seals(site, dict(files), cache, {}) == {}  # no seal configured: nothing taken up
    settings = {"GAZETTE_SEAL": {"pkcs12": str(keys.pkcs12), "password_env": ENV}}
    record = apply_seals(site, files, cache, settings)
    assert record["sealed"] == [good] and record["fingerprint"] == keys.fingerprint
    assert _pdfsig(site / urls.output_path(good)).count("Signature is Valid") == 1
    assert files[good] == (site / urls.output_path(good)).stat().st_size
    assert {url for url in files if sha256_file(site / urls.output_path(url)) != before[url]} == {good}
    # A second pass (an output carried over) recognises the sealed file.
    assert apply_seals(site, files, cache, settings)["sealed"] == [good]


def test_with_a_timestamp_service_the_seal_is_pades_b_lt(issue_pdfs: Built, keys: Keys, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    url, tsa_pem, server = timestamp_service(tmp_path)
    try:
        monkeypatch.setenv(ENV, keys.password)
        seal = SealSettings(pkcs12=keys.pkcs12, password_env=ENV, timestamp_url=url, chain=(tsa_pem,))
        assert seal.level == "PAdES B-LT"
        issue = issue_pdfs.publication.issues[0]
        target = tmp_path / "sealed.pdf"
        seal_pdf(issue_pdfs.pdf(urls.document_pdf(issue.documents()[0].slug, "zh")), target,
                 load_signer(seal), seal)
    finally:
        server.shutdown()
    roots = [x509.Certificate.load(pem.unarmor(path.read_bytes())[2]) for path in (keys.ca_pem, tsa_pem)]
    with target.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        dss = reader.root["/DSS"]  # the chain's validation data, embedded after the signature (LT)
        assert len(dss["/Certs"]) >= 2
        status = validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=roots))
    assert status.intact and status.valid and status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.valid  # the service's (T)
    assert "Signature is Valid" in _pdfsig(target)


def test_a_build_serves_the_sealed_copy_and_says_so_for_that_pdf_alone(issue_pdfs: Built, keys: Keys, signer,
                                                                       sealed: dict[str, Path], tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of the small issue (its PDFs from the session's PDF cache, none rendered) with a sealed copy
    of the Chinese edition in the store: that file is served sealed, its pages say so, nothing else does."""
    import os
    import re

    from gazette.build import run_build

    output = tmp_path / "build"
    shutil.copytree(issue_pdfs.site.parent / ".cache" / "pdf", output / ".cache" / "pdf", copy_function=os.link)
    issue = issue_pdfs.publication.issues[0]
    zh = urls.issue_pdf(issue.year, issue.number, "zh")
    store = SealStore.for_certificate(output / ".cache", keys.fingerprint)
    store.make_current(signer)
    digest = sha256_file(issue_pdfs.pdf(zh))
    shutil.copyfile(sealed[zh], store.copy_for(digest))
    store.write_index({digest: sha256_file(sealed[zh])})
    root = Path(__file__).resolve().parents[1]
    conf = tmp_path / "sealconf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(root)!r})\nfrom pelicanconf import *  # noqa\n"
                    f"THEME = {str(root / 'themes/gazette')!r}\n"
                    f"GAZETTE_SEAL = {{'pkcs12': {str(keys.pkcs12)!r}, 'password_env': {ENV!r}}}\n")
    monkeypatch.delenv(ENV, raising=False)  # a build never needs the password
    result = run_build(issue_pdfs.site.parent.parent / "content", output, ["pdf", "site"], str(conf))
    assert result.status == 0 and result.reports["pdf"].written == 0
    site = output / "site"
    assert sha256_file(site / urls.output_path(zh)) == sha256_file(sealed[zh])
    page = (site / urls.output_path(issue.url("zh"))).read_text(encoding="utf-8")
    assert page.count('class="sealed"') == 1 and "如何验证电子印章" in page
    assert re.search(r'href="/pdf/gazette/2026-03\.zh\.pdf".*?class="sealed"', page, re.S)
    assert sha256_file(sealed[zh]) in page
    item = issue.documents()[0]
    assert (site / urls.output_path(item.url("bo"))).read_text(encoding="utf-8").count('class="sealed"') == 1
    verify = (site / urls.output_path(urls.seal_verification("zh"))).read_text(encoding="utf-8")
    assert keys.fingerprint in verify
    assert "BEGIN CERTIFICATE" in (site / urls.output_path(urls.seal_certificate())).read_text(encoding="ascii")
    sums = (site / urls.output_path(urls.checksums(issue.year))).read_text(encoding="utf-8")
    assert f"{sha256_file(sealed[zh])}  {zh.lstrip('/')}\n" in sums
    assert "BEGIN" not in sums and keys.password not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())


def test_a_seal_stopped_half_way_leaves_no_file(issue_pdfs: Built, seal_settings: SealSettings, signer,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing interrupted after part of the output is written (as by Ctrl-C): neither the target nor the
    temporary file remains."""
    from pyhanko.sign import signers

    def interrupted(self, writer, output=None, **kwargs):
        output.write(b"%PDF-1.7 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(signers.PdfSigner, "sign_pdf", interrupted)
    issue = issue_pdfs.publication.issues[0]
    target = tmp_path / "sealed.pdf"
    with pytest.raises(KeyboardInterrupt):
        seal_pdf(issue_pdfs.pdf(urls.issue_pdf(issue.year, issue.number, "zh")), target, signer, seal_settings)
    assert list(tmp_path.iterdir()) == []


def test_a_key_file_without_a_key_or_a_chain_that_is_not_a_certificate_is_a_clear_error(
        keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    monkeypatch.setenv(ENV, keys.password)
    ca = x509.load_pem_x509_certificate(keys.ca_pem.read_bytes())
    keyless = tmp_path / "keyless.p12"  # a certificate alone, as `openssl pkcs12 -export -nokeys` writes
    keyless.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ca", None, None, [ca], serialization.BestAvailableEncryption(keys.password.encode())))
    with pytest.raises(SealError, match="no private key"):
        load_signer(SealSettings(pkcs12=keyless, password_env=ENV))
    garbage = tmp_path / "chain.pem"
    garbage.write_bytes(b"garbage")
    with pytest.raises(SealError, match="is not a certificate"):
        load_signer(SealSettings(pkcs12=keys.pkcs12, password_env=ENV, chain=(garbage,)))
    one = SealSettings.from_settings({"GAZETTE_SEAL": {"pkcs12": str(keys.pkcs12), "password_env": ENV,
                                                       "chain": str(keys.ca_pem)}})
    assert one is not None and one.chain == (keys.ca_pem,)  # one path written without a list
    with pytest.raises(SealError, match="list of certificate"):
        SealSettings.from_settings({"GAZETTE_SEAL": {"pkcs12": "k.p12", "password_env": ENV, "chain": 3}})
