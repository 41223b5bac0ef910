#!/usr/bin/env python3
"""Independent WebSocket echo peer for volley's interop tests (python3-websockets).

Listens on 127.0.0.1, port 0; prints the port on stdout, then echoes every message (same type)
until stdin reaches EOF or it gets SIGTERM. permessage-deflate is accepted when offered.
"""

import asyncio
import signal
import sys

import websockets


async def echo(ws, path=None):
    try:
        async for msg in ws:
            await ws.send(msg)
    except websockets.ConnectionClosed:
        pass


async def main():
    stop = asyncio.get_running_loop().create_future()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    loop.add_reader(sys.stdin.fileno(), lambda: stop.done() or (sys.stdin.read(1) or stop.set_result(None)))
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await stop


asyncio.run(main())
