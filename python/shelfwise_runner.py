"""shelfwise python plugin runner: the program shelfwise starts for a Python plugin.

All of the runner is in shelfwise_runner_core.py, imported from here: Python
compiles the script it runs at every start but reads an imported module from
its compiled copy (python/__pycache__, written by `npm run build`; without it,
or once a source is newer, Python compiles from source as before). Python 3.8+,
standard library only.
"""

if __name__ != "__main__":
    # Plugin code importing this file (`import shelfwise_runner`, to reach send() or the channels) ran it again as a
    # new module: its start-up closed and moved the running runner's descriptors, and the call died as "the
    # plugin closed shelfwise's channel", which it had not knowingly done. The running runner is `__main__`.
    raise ImportError(
        "shelfwise_runner is the program that runs your plugin, not a module to import: "
        "import BasePlugin from shelfwise (or library_manager.plugin_loader), and return your answer from process()"
    )

import shelfwise_runner_core  # noqa: E402  (its start-up claims the protocol channels before anything else runs)

try:
    shelfwise_runner_core.main()
except KeyboardInterrupt:
    shelfwise_runner_core._exit(130)
