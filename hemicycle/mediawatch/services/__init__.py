"""Media-watch services, one module per noun; callers import them from here."""

from hemicycle.mediawatch.services.clippings import (  # noqa: F401
    LINK_KINDS,
    clipping_link_add,
    clipping_link_remove,
    clipping_mark,
    clipping_search,
    clipping_tag,
    clippings_mark_read,
)
from hemicycle.mediawatch.services.digest import (  # noqa: F401
    digest_recipients,
    digest_schedule,
    digest_send,
    digest_subscribe,
    digests_send,
)
from hemicycle.mediawatch.services.polling import (  # noqa: F401
    IngestReport,
    PollReport,
    WorkspaceIndex,
    items_ingest,
    poll_schedule,
    source_create,
    source_poll,
    source_update,
    sources_due,
    sources_poll,
)
from hemicycle.mediawatch.services.rules import (  # noqa: F401
    rule_apply,
    rule_create,
    rule_delete,
    rule_presets_create,
    rule_update,
)
