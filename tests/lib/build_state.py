#!/usr/bin/env python3
"""Answers tests/run-all's questions about a meson build dir, by exit status (0: yes, 1: no).

Usage: build_state.py werror BUILDDIR       is -Dwerror=true set there?
       build_state.py new-meson-build BUILDDIR
           is there a meson.build in the source tree that the build dir doesn't know of?
           meson.build includes some directories only if they exist (fs.exists), and meson
           doesn't notice when one appears later: run-all then reconfigures.
"""
import json
import os
import subprocess
import sys


def introspect(builddir, what):
    """meson introspect --WHAT of the build dir, decoded."""
    out = subprocess.run(["meson", "introspect", "--" + what, builddir], capture_output=True, text=True,
                         check=True, stdin=subprocess.DEVNULL).stdout
    return json.loads(out)


def werror(builddir):
    return any(o["name"] == "werror" and o["value"] for o in introspect(builddir, "buildoptions"))


def new_meson_build(builddir):
    known = set(introspect(builddir, "buildsystem-files"))
    build = os.path.abspath(builddir)
    for top, dirs, files in os.walk("."):
        # Build dirs (this one, and any other: they hold a meson-private/) have none of ours.
        dirs[:] = [d for d in dirs if d != ".git" and os.path.abspath(os.path.join(top, d)) != build
                   and not os.path.isdir(os.path.join(top, d, "meson-private"))]
        if "meson.build" in files and os.path.abspath(os.path.join(top, "meson.build")) not in known:
            return True
    return False


if __name__ == "__main__":
    question = {"werror": werror, "new-meson-build": new_meson_build}[sys.argv[1]]
    sys.exit(0 if question(sys.argv[2]) else 1)
