"""The process id kept for the hot paths follows forks."""

import os

from concierge import process


def test_the_kept_id_is_this_process_and_a_forked_childs_own():
    assert process.pid() == os.getpid()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child reports what it sees, then leaves at once
        os.write(write, f"{process.pid()} {os.getpid()}".encode())
        os._exit(0)
    os.close(write)
    seen, actual = os.read(read, 100).decode().split()
    os.close(read)
    os.waitpid(child, 0)
    assert seen == actual == str(child)
    assert process.pid() == os.getpid() != child
