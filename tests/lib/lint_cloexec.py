#!/usr/bin/env python3
"""Checks that every fd the C sources create is close-on-exec from birth (STYLE.md).

Usage: lint_cloexec.py FILE...  (tests/run-all passes sandbox.c and setup/*.[ch])

Looks at each call that makes an fd (open, socket, pipe2, dup3, memfd_create, ..., also as
syscall(SYS_x, ...)) and wants its CLOEXEC flag among the arguments; fopen() modes need "e";
fcntl(F_DUPFD) and the calls that have no CLOEXEC form (pipe, dup, accept, ...) are refused.
A line that hands an fd on on purpose says so in a comment containing "not-cloexec:" (on the
call's line or the comment line just above it). Prints one line per problem, then how many
calls it checked; exit status 1 if there was a problem.
"""
import re
import sys

# call -> flag that must appear among its arguments; None: the call can't make a CLOEXEC fd.
RULES = {
    "open": "O_CLOEXEC", "open64": "O_CLOEXEC", "openat": "O_CLOEXEC", "openat64": "O_CLOEXEC",
    "openat2": "O_CLOEXEC", "mkostemp": "O_CLOEXEC", "pipe2": "O_CLOEXEC", "dup3": "O_CLOEXEC",
    "socket": "SOCK_CLOEXEC", "socketpair": "SOCK_CLOEXEC", "accept4": "SOCK_CLOEXEC",
    "memfd_create": "MFD_CLOEXEC", "epoll_create1": "EPOLL_CLOEXEC", "signalfd": "SFD_CLOEXEC",
    "eventfd": "EFD_CLOEXEC", "timerfd_create": "TFD_CLOEXEC", "inotify_init1": "IN_CLOEXEC",
    "open_tree": "OPEN_TREE_CLOEXEC", "fsopen": "FSOPEN_CLOEXEC", "fsmount": "FSMOUNT_CLOEXEC",
    "fspick": "FSPICK_CLOEXEC",
    "creat": None, "pipe": None, "accept": None, "dup": None, "dup2": None, "mkstemp": None,
    "epoll_create": None, "inotify_init": None,
}
# Calls checked otherwise: the fopen family by mode, fcntl by command, recvmsg by flag.
OTHER = ("recvmsg", "recvmmsg", "fcntl", "fopen", "freopen", "popen")
BETTER = {"dup": "fcntl F_DUPFD_CLOEXEC", "dup2": "dup3 O_CLOEXEC", "accept": "accept4", "pipe": "pipe2"}
STDIO = {"0", "1", "2", "STDIN_FILENO", "STDOUT_FILENO", "STDERR_FILENO"}
IDENT = r"[A-Za-z_]\w*"
NAMES = "|".join(sorted(RULES, key=len, reverse=True))
CALL = re.compile(r"(?<![\w.>])(?:(syscall)\s*\(\s*(?:SYS|__NR)_(\w+)\s*,?|(?:sys_)?("
                  + NAMES + "|" + "|".join(OTHER) + r")\s*\()")


def sanitize(src):
    """Blanks comments and the insides of string/char literals, keeping every offset."""
    out, i, n = list(src), 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i) or src.startswith("/*", i):
            end = src.find("\n", i) if c == "/" and src[i + 1] == "/" else src.find("*/", i + 2) + 2
            end = n if end <= 1 or end == -1 else end
            for j in range(i, end):
                if out[j] != "\n":
                    out[j] = " "
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                out[k] = "x"
            i = j + 1
        else:
            i += 1
    return "".join(out)


def functions(clean):
    """(start, end, name) of each top-level brace block, named by the identifier before '('."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(clean):
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                head = clean[max(0, start - 400):start]
                m = re.search(r"(" + IDENT + r")\s*\([^;{}]*\)\s*(?:__attribute__\s*\(\(.*\)\)\s*)?$", head, re.S)
                spans.append((start, i, m.group(1) if m else ""))
    return spans


def split_args(text):
    """The top-level comma-separated arguments of a call's argument text."""
    args, depth, cur = [], 0, ""
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += c
    args.append(cur.strip())
    return args


def closing_paren(clean, open_paren):
    """The offset of the ')' that closes the '(' at open_paren."""
    depth = 0
    for end in range(open_paren, len(clean)):
        depth += {"(": 1, ")": -1}.get(clean[end], 0)
        if depth == 0:
            return end
    return len(clean) - 1


def verdict(call, args_clean, args_raw, fn_body, passes_fds):
    """Why this call makes an fd without CLOEXEC (None: it doesn't); "skip": not an fd-making call."""
    if call in ("fopen", "freopen", "popen"):
        modes = re.findall(r'"([^"]*)"', args_raw)
        mode = modes[-1] if modes else None
        return None if mode is not None and "e" in mode else f'{call}() mode {mode!r} lacks "e"'
    if call == "fcntl":
        return "fcntl(F_DUPFD) instead of F_DUPFD_CLOEXEC" if re.search(r"\bF_DUPFD\b", args_clean) else "skip"
    if call in ("recvmsg", "recvmmsg"):
        if not passes_fds:
            return "skip"
        return None if "MSG_CMSG_CLOEXEC" in args_clean else f"{call}() receives SCM_RIGHTS without MSG_CMSG_CLOEXEC"
    flag = RULES[call]
    args = split_args(args_clean)
    if call in ("dup2", "dup3") and len(args) >= 2 and args[1] in STDIO:
        return None  # stdio is inherited on purpose
    if flag is None:
        return f"{call}() makes an fd without CLOEXEC (use " + BETTER.get(call, "the CLOEXEC variant") + ")"
    if "~0" in args_clean:
        return None  # a probe with every flag bit set (CLOEXEC included) that the kernel must refuse
    if flag not in args_clean and not (call == "openat2" and flag in fn_body):
        return f"{call}() without {flag}"
    return None


def check_file(path):
    """(problems, number of calls checked) of one source file."""
    try:
        src = open(path, encoding="utf-8", errors="replace").read()
    except FileNotFoundError:
        return [], 0
    clean = sanitize(src)
    lines = src.split("\n")
    spans = functions(clean)
    passes_fds = "SCM_RIGHTS" in clean
    problems, checked = [], 0
    for m in CALL.finditer(clean):
        call = m.group(2) or m.group(3)
        if call not in RULES and call not in OTHER:
            continue
        open_paren = clean.index("(", m.start())
        end = closing_paren(clean, open_paren)
        args_clean = clean[m.end():end] if m.group(1) else clean[open_paren + 1:end]
        args_raw = src[open_paren + 1:end]
        lineno = clean.count("\n", 0, m.start()) + 1
        # The marker goes on the call's line or on a comment line just above it.
        above = lines[lineno - 2].strip() if lineno >= 2 else ""
        if "not-cloexec:" in lines[lineno - 1] or (above.startswith(("/*", "//", "*")) and "not-cloexec:" in above):
            continue
        fn = next((s for s in spans if s[0] < m.start() < s[1]), None)
        fn_name, fn_body = (fn[2], clean[fn[0]:fn[1]]) if fn else ("", "")
        # A thin wrapper (sys_open_tree() around syscall(SYS_open_tree, ...)) passes its
        # caller's flags on; the callers are checked instead.
        if fn_name in ("sys_" + call, call + "_wrapper", "my_" + call) or (fn_name.startswith("sys_") and fn_name[4:] == call):
            continue
        # Declarations and definitions are not calls.
        after = clean[end + 1:end + 80].lstrip()
        before = clean[max(0, m.start() - 60):m.start()]
        if after.startswith("{") or (after.startswith(";") and re.search(r"\b(?:int|long|void|ssize_t|FILE)\s*\**\s*$", before)):
            continue
        why = verdict(call, args_clean, args_raw, fn_body, passes_fds)
        if why == "skip":
            continue
        checked += 1
        if why:
            problems.append(f"{path}:{lineno}: {why}: {lines[lineno - 1].strip()}")
    return problems, checked


def main(paths):
    problems, checked = [], 0
    for path in paths:
        p, n = check_file(path)
        problems += p
        checked += n
    for p in problems:
        print(p)
    print(f"checked {checked} fd-creating calls")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
