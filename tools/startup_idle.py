#!/usr/bin/env python3
"""Start-up and silent-idle probe: runs the console on the demo tenant in a pseudo-terminal,
reports how long after launch the first frame appears and how many bytes the console writes
during 10 s of idle once loaded (should be 0). Usage: python3 tools/startup_idle.py target/release/entra-triage"""
import os, pty, sys, time, select, subprocess
binary = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"; os.environ["ENTRA_TRIAGE_DATA_DIR"] = "/tmp/et-idle"
    os.execv(binary, [binary, "--demo"])
import fcntl, termios, struct
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
t0 = time.monotonic(); first = None; total = 0; buf = b""
def pump(until):
    global first, total, buf
    while time.monotonic() < until:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try: d = os.read(fd, 65536)
            except OSError: return
            if b"\x1b[6n" in d: os.write(fd, b"\x1b[1;1R")
            buf += d; total += len(d)
            if first is None and b"entra-triage" in buf: first = time.monotonic() - t0
pump(t0 + 8)
loaded = total
pump(time.monotonic() + 10)
idle = total - loaded
os.write(fd, b"q"); time.sleep(0.5)
print(f"first frame {first*1000:.0f} ms after launch; bytes during the 10 s idle after loading: {idle}")
