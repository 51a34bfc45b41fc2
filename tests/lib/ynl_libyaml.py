#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Imported before the kernel's YNL library (tools/net/ynl/lib), this makes
the library parse its specs with PyYAML's C loader (libyaml) instead of the
pure-Python one: the same safe schema and the same result, but under TCG
the pure-Python loader takes seconds per spec, and every YNL call of a test
paid them.  Without libyaml (PyYAML built without it) nothing changes.

Run as a program it is the kernel's YNL CLI, its specs parsed the same way:

  ynl_libyaml.py YNL_DIR [cli.py's arguments...]
"""

import runpy
import sys

import yaml

if getattr(yaml, "CSafeLoader", None) is not None:
    def _c_safe_load(stream):
        return yaml.load(stream, Loader=yaml.CSafeLoader)  # nosec: safe loader

    yaml.safe_load = _c_safe_load

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: ynl_libyaml.py YNL_DIR [cli.py arguments...]")
    ynl_dir = sys.argv.pop(1)
    cli = f"{ynl_dir}/cli.py"
    sys.argv[0] = cli
    sys.path.insert(0, ynl_dir)  # where cli.py finds its lib
    runpy.run_path(cli, run_name="__main__")
