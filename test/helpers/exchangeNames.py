"""Exchanges two names again and again with renameat2(RENAME_EXCHANGE), as an attacker racing a program would,
until it gets SIGTERM; it then leaves both names as they were and prints how many exchanges it made."""
import ctypes
import os
import signal
import sys
import time

AT_FDCWD = -100
RENAME_EXCHANGE = 2

libc = ctypes.CDLL(None, use_errno=True)
first, second = (os.fsencode(name) for name in sys.argv[1:3])
stopping = False


def stop(*_):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
count = 0
while not stopping or count % 2:
    if libc.renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE) != 0:
        sys.exit(f"renameat2: {os.strerror(ctypes.get_errno())}")
    count += 1
    time.sleep(0.0005)
print(count, flush=True)
