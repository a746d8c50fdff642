"""The tracker and the SSI simulator as containers, in the testcontainers style (the docker target's parts).

    from support.stack.engine import docker_engine_available
    from support.stack.images import ensure_images
    from support.stack.containers import SimulatorContainer, TrackerContainer
    from testcontainers.core.network import Network

    ok, why = docker_engine_available()
    images = ensure_images()                       # reuses current images, else builds them
    with Network() as network, \
         SimulatorContainer(images.simulator).with_network(network) as simulator, \
         TrackerContainer(images.tracker).with_network(network) \
             .with_upstream(simulator).with_memory_limit("256m") as tracker:
        tracker.url, simulator.url                 # http://127.0.0.1:PORT on this machine

This package stays import-light (steps import support.stack.control); testcontainers and the
Docker SDK are imported only by the modules that need them.
"""
