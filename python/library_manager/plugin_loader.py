"""The plugin base class, with Library Manager's defaults.

A plugin subclasses ``BasePlugin`` and overrides ``process``; the other methods
have working defaults. shelfwise runs each plugin in its own process through
``shelfwise_runner.py``; this module only defines the class.
"""


class BasePlugin(object):
    """Base class for identification plugins (Library Manager format).

    Lifecycle: ``setup(config, secrets)`` once, then for every book
    ``can_process(book_data)`` and, when that is truthy, ``process(book_data)``,
    and ``teardown()`` at shutdown.
    """

    # Library Manager's defaults; the runner then sets those the manifest gives (name, description, version), as Library Manager does.
    name = "unnamed"
    description = ""
    version = "0.0.1"

    def __init__(self):
        self.config = {}
        self.secrets = {}
        self.enabled = True

    def setup(self, config, secrets):
        """Called once on startup with the plugin's config and declared secrets."""
        self.config = config
        self.secrets = secrets
        return True

    def can_process(self, book_data):
        """Return False to skip a book (recorded as skipped, not as a failure)."""
        return True

    def process(self, book_data):
        """Return a dict of fields (title, author, narrator, series, series_num,
        year, language, edition, variant), or {} / None for no opinion.
        The default has no opinion, as in Library Manager."""
        return {}

    def teardown(self):
        """Called on shutdown to release resources."""
        return None
