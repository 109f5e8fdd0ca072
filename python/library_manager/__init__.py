"""Compatibility package: lets Library Manager plugins run unchanged in shelfwise.

Plugins written for Library Manager import ``from library_manager.plugin_loader
import BasePlugin``; shelfwise's python runner puts this folder on ``sys.path`` so
that import resolves here. Only the plugin base class is provided.
"""
