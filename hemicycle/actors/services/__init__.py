"""What can be done with actors, one module per noun (STYLE.md §2: a package once past
~400 lines). Everything is re-exported here: ``from hemicycle.actors import services``."""

from hemicycle.actors.services.dedupe import *  # noqa: F403
from hemicycle.actors.services.directory import *  # noqa: F403
from hemicycle.actors.services.imports import *  # noqa: F403
from hemicycle.actors.services.interactions import *  # noqa: F403
from hemicycle.actors.services.privacy import *  # noqa: F403
