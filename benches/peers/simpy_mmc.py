"""The queueing lab's M/M/2 case (1,000 requests/s, 1.5 ms mean service, 2 servers) in
SimPy, for comparing engine speed. Prints events per second of wall time.

    python3 benches/peers/simpy_mmc.py [simulated-seconds]
"""

import random
import sys
import time

import simpy

LAMBDA = 1000.0
MEAN_SERVICE = 0.0015
SERVERS = 2


def source(env, server, rng, counter):
    while True:
        yield env.timeout(rng.expovariate(LAMBDA))
        counter[0] += 1
        env.process(request(env, server, rng, counter))


def request(env, server, rng, counter):
    with server.request() as slot:
        yield slot
        yield env.timeout(rng.expovariate(1.0 / MEAN_SERVICE))
        counter[0] += 1


def main():
    horizon = float(sys.argv[1]) if len(sys.argv) > 1 else 100.0
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=SERVERS)
    counter = [0]
    env.process(source(env, server, random.Random(1), counter))
    start = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - start
    # Arrivals and departures: the same two events per request the engine counts.
    print(f"{counter[0]} events in {wall:.3f} s: {counter[0] / wall:,.0f} events/s")


if __name__ == "__main__":
    main()
