#!/usr/bin/env python3
"""Provenance fixtures from GnuPG and real Helm 4.2.3 (helm-python-sdk).

Writes crates/rudder-provenance/tests/data/:
  rsa.pub.gpg, rsa.sec.gpg, rsa.pub.asc   RSA-3072 key "Rudder RSA <rsa@example.com>", no passphrase
  ed.pub.gpg, ed.sec.gpg                  Ed25519 key "Rudder Ed <ed@example.com>", passphrase in
  passphrase.txt                          (keyrings as GnuPG 1 did: binary, via --export)
  signtest-0.1.0.tgz                      an archive packaged by the oracle
  helm-rsa.prov                           helm.sign(archive, key=rsa) (the oracle)
  helm-ed.prov                            helm.sign(archive, key=ed, passphrase_file)
  gpg-rsa.prov                            the oracle's signed text, clear-signed by gpg (SHA512)
  tampered.prov                           helm-rsa.prov with the digest changed
  expected.json                           the oracle's helm.verify results and error texts

With --check-rudder PATH/TO/rudder it instead signs the archive with
rudder (both keys) and verifies the result with the oracle and with
`gpg --verify`, printing one line per check (interop evidence for the
report; nothing is written).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-provenance", "tests", "data")
PASS = "correct horse battery staple"


def gpg(home, *args, inp=None):
    r = subprocess.run(["gpg", "--homedir", home, "--batch", "--yes", *args],
                       input=inp, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("gpg %s: %s" % (args, r.stderr.decode()))
    return r.stdout


def verify_result(archive, prov, keyring):
    with tempfile.TemporaryDirectory() as d:
        a = os.path.join(d, os.path.basename(archive))
        shutil.copy(archive, a)
        shutil.copy(prov, a + ".prov")
        try:
            return {"ok": helm.verify(a, keyring)}
        except helm.HelmError as e:
            return {"error": getattr(e, "detail", None) or str(e)}


def generate():
    os.makedirs(OUT, exist_ok=True)
    home = tempfile.mkdtemp()
    os.chmod(home, 0o700)
    try:
        gpg(home, "--passphrase", "", "--quick-gen-key", "Rudder RSA <rsa@example.com>", "rsa3072", "sign", "never")
        gpg(home, "--pinentry-mode", "loopback", "--passphrase", PASS, "--quick-gen-key",
            "Rudder Ed <ed@example.com>", "ed25519", "sign", "never")
        for name, uid, pw in (("rsa", "rsa@example.com", ""), ("ed", "ed@example.com", PASS)):
            open(os.path.join(OUT, name + ".pub.gpg"), "wb").write(gpg(home, "--export", uid))
            open(os.path.join(OUT, name + ".sec.gpg"), "wb").write(
                gpg(home, "--pinentry-mode", "loopback", "--passphrase", pw, "--export-secret-keys", uid))
        open(os.path.join(OUT, "rsa.pub.asc"), "wb").write(gpg(home, "--armor", "--export", "rsa@example.com"))
        open(os.path.join(OUT, "passphrase.txt"), "w").write(PASS + "\n")

        work = tempfile.mkdtemp()
        chart = os.path.join(work, "signtest")
        os.makedirs(os.path.join(chart, "templates"))
        open(os.path.join(chart, "Chart.yaml"), "w").write(
            "apiVersion: v2\nname: signtest\nversion: 0.1.0\ndescription: A chart to sign\n")
        open(os.path.join(chart, "values.yaml"), "w").write("a: 1\n")
        tgz = helm.package(chart, destination=work)
        archive = os.path.join(OUT, "signtest-0.1.0.tgz")
        shutil.copy(tgz, archive)

        for name, key, pwfile in (("rsa", "Rudder RSA", None),
                                  ("ed", "ed@example.com", os.path.join(OUT, "passphrase.txt"))):
            a = os.path.join(work, "signtest-0.1.0.tgz")
            shutil.copy(archive, a)
            prov = helm.sign(a, key=key, keyring=os.path.join(OUT, name + ".sec.gpg"), passphrase_file=pwfile)
            shutil.copy(prov, os.path.join(OUT, "helm-%s.prov" % name))

        # The signed text of Helm's .prov, clear-signed by GnuPG itself.
        text = open(os.path.join(OUT, "helm-rsa.prov")).read()
        # Helm 4 (go-crypto 1.4) signs the text including its final line
        # break and writes a blank line before the signature; GnuPG treats
        # the final line break as framing (Helm 3's shape).
        body = text.split("\n\n", 1)[1].split("\n-----BEGIN PGP SIGNATURE-----")[0]
        signed = gpg(home, "--pinentry-mode", "loopback", "--passphrase", "", "--local-user",
                     "rsa@example.com", "--digest-algo", "SHA512", "--clearsign", inp=body.encode())
        open(os.path.join(OUT, "gpg-rsa.prov"), "wb").write(signed)
        open(os.path.join(OUT, "signed-text.txt"), "w").write(body)

        tampered = text.replace("sha256:", "sha256:0", 1)
        open(os.path.join(OUT, "tampered.prov"), "w").write(tampered)

        expected = {"_oracle": ORACLE_VERSION}
        for prov, ring in (("helm-rsa.prov", "rsa.pub.gpg"), ("helm-ed.prov", "ed.pub.gpg"),
                           ("gpg-rsa.prov", "rsa.pub.gpg"), ("tampered.prov", "rsa.pub.gpg"),
                           ("helm-rsa.prov", "ed.pub.gpg")):
            expected["%s with %s" % (prov, ring)] = verify_result(
                archive, os.path.join(OUT, prov), os.path.join(OUT, ring))
        with open(os.path.join(OUT, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1, sort_keys=True)
            f.write("\n")
        shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def check(rudder):
    work = tempfile.mkdtemp()
    home = tempfile.mkdtemp()
    os.chmod(home, 0o700)
    try:
        gpg(home, "--import", os.path.join(OUT, "rsa.pub.gpg"))
        gpg(home, "--import", os.path.join(OUT, "ed.pub.gpg"))
        chart = os.path.join(work, "signtest")
        os.makedirs(chart)
        open(os.path.join(chart, "Chart.yaml"), "w").write("apiVersion: v2\nname: signtest\nversion: 0.1.0\n")
        for name, key, extra in (("rsa", "Rudder RSA", []),
                                 ("ed", "ed@example.com", ["--passphrase-file", os.path.join(OUT, "passphrase.txt")])):
            dest = os.path.join(work, name)
            subprocess.run([rudder, "package", chart, "-d", dest, "--sign", "--key", key,
                            "--keyring", os.path.join(OUT, name + ".sec.gpg"), *extra], check=True,
                           capture_output=True)
            archive = os.path.join(dest, "signtest-0.1.0.tgz")
            res = helm.verify(archive, os.path.join(OUT, name + ".pub.gpg"))
            print("oracle helm.verify of rudder-signed (%s): %s" % (name, res))
            r = subprocess.run(["gpg", "--homedir", home, "--batch", "--verify", archive + ".prov"],
                               capture_output=True, text=True)
            print("gpg --verify of rudder-signed (%s): exit %d %s" % (
                name, r.returncode, [l for l in r.stderr.splitlines() if "Good signature" in l]))
            with helm.Chart.load(archive) as c:
                print("oracle loads rudder archive (%s): %s %s" % (name, c.name, c.version))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-rudder":
        check(sys.argv[2])
    else:
        generate()
