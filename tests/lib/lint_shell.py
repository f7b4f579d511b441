#!/usr/bin/env python3
"""Runs shellcheck once over every shell script in the tree.

Usage: lint_shell.py  (from the top of the checkout; tests/run-all runs it as a lint)

A shell script is a file named *.sh or one whose first line is a #! line naming sh, bash or
dash, anywhere in the checkout except .git, build dirs (any directory holding meson-private/)
and the fuzz corpora (inputs, not scripts). shellcheck follows sourced files (-x); the
project's settings are in .shellcheckrc. Prints the number of scripts, or shellcheck's
findings; exit status 0 if it found nothing, 1 if it did, 77 if shellcheck is not installed.
"""
import os
import re
import shutil
import subprocess
import sys

SHEBANG = re.compile(rb"^#!.*\b(?:ba|da)?sh\b")


def is_shell(path):
    if path.endswith(".sh"):
        return True
    try:
        with open(path, "rb") as f:
            return bool(SHEBANG.match(f.readline(200)))
    except OSError:
        return False


def shell_scripts(top="."):
    """The paths of every shell script below top, sorted."""
    found = []
    for d, dirs, files in os.walk(top):
        dirs[:] = [s for s in dirs if s != ".git" and not s.startswith("corpus-")
                   and not os.path.isdir(os.path.join(d, s, "meson-private"))]
        found += [os.path.relpath(os.path.join(d, f), top) for f in files if is_shell(os.path.join(d, f))]
    return sorted(found)


def main():
    if not shutil.which("shellcheck"):
        print("shellcheck is not installed (Debian package shellcheck)")
        return 77
    scripts = shell_scripts()
    # SC1091: a sourced file that is only there at run time (a guest's) is not an error.
    r = subprocess.run(["shellcheck", "-x", "-e", "SC1091", "-f", "gcc", *scripts], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(r.stdout.rstrip() if r.returncode else f"{len(scripts)} scripts")
    return 1 if r.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
