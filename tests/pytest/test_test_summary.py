# SPDX-License-Identifier: GPL-2.0
"""tools/test-summary.py, the end of `make check`: a skip that is not on the
allow-list, or any expected failure, fails the run."""
import os
import subprocess

TOP = os.environ.get("SRIOV_TOP",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
SUMMARY = os.path.join(TOP, "tools/test-summary.py")
ALLOW = "vm.dpdk_* | ^no IOMMU | vfio needs an IOMMU\n"


def run(tmp_path, taps=None, junit=None, reruns=None, allow=ALLOW):
    (tmp_path / "ktap").mkdir()
    (tmp_path / "cmake").mkdir()
    (tmp_path / "allow.txt").write_text("# comment\n" + allow)
    for name, text in (taps or {}).items():
        (tmp_path / "ktap" / (name + ".tap")).write_text(text)
    for name, text in (junit or {}).items():
        (tmp_path / "cmake" / ("junit-%s.xml" % name)).write_text(text)
    if reruns:
        (tmp_path / "vm").mkdir()
        (tmp_path / "vm" / "reruns.txt").write_text(reruns)
    return subprocess.run(["/usr/bin/python3", SUMMARY, "--build", str(tmp_path),
                           "--allow", str(tmp_path / "allow.txt")],
                          capture_output=True, text=True, timeout=60)


def test_allowed_skip_passes_and_is_listed(tmp_path):
    r = run(tmp_path, taps={"dpdk_vf_interop": "KTAP version 1\n1..0 # SKIP no IOMMU: --iommu\n",
                            "pf_link": "KTAP version 1\n1..1\nok 1 up\n"})
    assert r.returncode == 0, r.stdout
    assert "skipped checks: 1" in r.stdout
    assert "vm.dpdk_vf_interop: (whole test): no IOMMU" in r.stdout


def test_skip_of_the_projects_own_code_fails(tmp_path):
    r = run(tmp_path, taps={"vf_basic": "1..2\nok 1 a\nok 2 b # SKIP sriov_pf did not bind\n"})
    assert r.returncode == 1
    assert "vm.vf_basic: b: sriov_pf did not bind  [NOT ALLOWED" in r.stdout


def test_allowed_reason_on_another_test_fails(tmp_path):
    r = run(tmp_path, taps={"pf2_netlink": "1..0 # SKIP no IOMMU\n"})
    assert r.returncode == 1


def test_xfail_fails(tmp_path):
    r = run(tmp_path, taps={"netvsc_planned": "1..1\nok 1 0 lost # XFAIL lost 3\n"})
    assert r.returncode == 1
    assert "expected failures: 1" in r.stdout


def test_pytest_skip_and_xfail(tmp_path):
    xml = ('<testsuites><testsuite>'
           '<testcase name="t1"><skipped type="pytest.skip" message="not built: sriovd"/></testcase>'
           '<testcase name="t2"><skipped type="pytest.xfail" message="flaky"/></testcase>'
           '<testcase name="t3"/></testsuite></testsuites>')
    r = run(tmp_path, junit={"test_sriovctl": xml})
    assert r.returncode == 1
    assert "pytest.test_sriovctl: t1: not built: sriovd  [NOT ALLOWED" in r.stdout
    assert "pytest.test_sriovctl: t2: flaky" in r.stdout


def test_reruns_are_printed(tmp_path):
    r = run(tmp_path, reruns="rel_fuzz\tguest timer stalled\tcpu 0 idle\tconsole-stalled.log\n")
    assert r.returncode == 0
    assert "run a second time: 1" in r.stdout
    assert "rel_fuzz | guest timer stalled | cpu 0 idle" in r.stdout


def test_malformed_allow_list_is_an_error(tmp_path):
    r = run(tmp_path, allow="vm.* | no reason given\n")
    assert r.returncode != 0
