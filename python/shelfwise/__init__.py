"""What python plugin authors import: ``from shelfwise import BasePlugin``.

The same class as ``library_manager.plugin_loader.BasePlugin``, so plugins in
either style are found and run identically.
"""

from library_manager.plugin_loader import BasePlugin

__all__ = ["BasePlugin"]
