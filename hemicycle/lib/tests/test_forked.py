import os
import threading
import time

import pytest

from hemicycle.lib import forked
from hemicycle.lib.forked import ChildGone, can_fork, forked_map

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def square_with_pid(n):
    return n * n, os.getpid()


def test_forked_map_gives_the_results_of_map_in_order_from_another_process():
    results = list(forked_map(iter(range(5001)), square_with_pid, batch=100))
    assert [value for value, _pid in results] == [n * n for n in range(5001)]
    assert {pid for _value, pid in results} != {os.getpid()}  # computed in the child


def test_an_error_in_the_child_is_raised_in_the_parent_after_the_items_before_it():
    def items():
        yield from (b"ok", b"ok")
        yield b"\xff"

    got = []
    with pytest.raises(UnicodeDecodeError):
        for text in forked_map(items(), lambda raw: raw.decode("utf-8"), batch=1):
            got.append(text)
    assert got == ["ok", "ok"]


def test_an_error_that_cannot_be_pickled_arrives_as_a_runtime_error():
    class Local(Exception):  # a local class does not pickle
        pass

    def fail(_item):
        raise Local("boom")

    with pytest.raises(RuntimeError, match="Local: boom"):
        list(forked_map([1], fail))


def test_a_child_killed_midway_raises_child_gone():
    def die(n):
        if n == 3:
            os._exit(9)
        return n

    with pytest.raises(ChildGone):
        list(forked_map(range(10), die, batch=1))


def test_closing_the_generator_early_stops_and_reaps_the_child(forks):
    results = forked_map(range(10**9), lambda n: n, batch=10)
    assert next(results) == 0
    results.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # killed and reaped: no zombie left behind


def test_away_from_the_main_thread_the_work_is_done_in_this_process():

    results = []
    worker = threading.Thread(target=lambda: results.extend(
        forked_map(range(3), lambda n: (n, os.getpid()))))
    worker.start()
    worker.join()
    assert results == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]


def test_forked_call_computes_in_another_process_while_this_one_works():
    with forked.forked_call(lambda: (os.getpid(), sum(range(1000)))) as rest:
        here = sum(range(500))
        pid, there = rest()
    assert (here, there) == (124750, 499500)
    assert pid != os.getpid()


def test_forked_call_raises_the_childs_error_here():
    def fails():
        raise ValueError("page 12 unreadable")

    with pytest.raises(ValueError, match="page 12"), forked.forked_call(fails) as rest:
        rest()


def test_leaving_a_forked_call_without_its_result_kills_and_reaps_the_child(forks):
    with pytest.raises(KeyError), forked.forked_call(lambda: time.sleep(60)):
        raise KeyError("the parent's half failed")
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # killed and reaped: no zombie left behind


def test_away_from_the_main_thread_a_forked_call_runs_here_when_asked():
    found = []

    def run():
        with forked.forked_call(os.getpid) as rest:
            found.append(rest())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert found == [os.getpid()]
