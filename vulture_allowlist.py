"""Names vulture cannot see used: read by templates, by value, or serialised whole.

Listed here so that `make lint` fails on code that is really dead. A name belongs here
only with the reason of its group; anything else vulture reports is to be removed.
"""

_ = object()

# Model fields and properties read only by the Jinja templates (src/interlock/templates/).
_.CRITICAL  # model/integration.py
_.api_style  # model/integration.py
_.direction_words  # read by the integration-points template
_.webhook_verification  # model/integration.py
_.webhook_replay  # model/integration.py
_.oauth_scopes  # model/integration.py
_.token_renewal  # model/integration.py
_.revocation  # model/integration.py
_.quotas  # model/integration.py
_.sandbox_parity  # model/integration.py
_.sync_direction  # model/integration.py
_.initial_load  # model/integration.py
_.ordering  # model/integration.py
_.conflicts  # model/integration.py
_.reconciliation  # model/integration.py
_.residency  # model/integration.py
_.exit_plan  # model/integration.py
_.pii_in_logs  # model/integration.py
_.tracing  # model/integration.py
_.HIGH  # model/integration.py
_.LOW  # model/integration.py
_.alerts  # model/integration.py
_.authorization_url  # research/facts.py
_.availability  # model/integration.py
_.backfill  # model/integration.py
_.caller_auth  # model/integration.py
_.circuit_breaker  # model/integration.py
_.compliance  # model/integration.py
_.consumers  # model/integration.py
_.contract  # model/integration.py
_.cost  # model/integration.py
_.dashboards  # model/integration.py
_.data_class  # model/integration.py
_.delivery  # model/integration.py
_.dependencies  # model/spec_meta.py
_.deprecation  # model/integration.py
_.direction  # model/integration.py
_.existing  # model/integration.py
_.external  # model/integration.py
_.fallback  # model/integration.py
_.follows_recommendation  # model/integration.py
_.goals  # model/integration.py
_.health_check  # model/integration.py
_.infrastructure  # model/integration.py
_.is_event  # model/integration.py
_.latency_ms  # model/integration.py
_.license  # research/facts.py
_.load_testing  # model/integration.py
_.migration  # model/integration.py
_.migration_path  # model/integration.py
_.most_critical  # model/integration.py
_.network  # model/integration.py
_.not_done  # render/outcome.py
_.notes  # model/integration.py
_.openid_url  # research/facts.py
_.out_of_scope  # model/integration.py
_.parallel_run  # model/integration.py
_.protocol  # model/integration.py
_.published  # model/integration.py
_.rate_limits  # model/integration.py
_.refresh_url  # research/facts.py
_.rehearsal  # model/integration.py
_.replaces_existing  # model/integration.py
_.rollback  # model/integration.py
_.rollout  # model/integration.py
_.schema_change  # model/integration.py
_.sla  # model/integration.py
_.sla_tracking  # model/integration.py
_.source_name  # research/facts.py
_.spec  # research/facts.py
_.token_url  # research/facts.py
_.transfer  # model/integration.py
_.versioning  # model/integration.py

# Enum members looked up by value (from YAML, front matter or a command-line choice).
_.API_SPEC  # model/spec_meta.py
_.APPROVED  # model/spec_meta.py
_.BACKLOG  # model/spec_meta.py
_.DATA_MODEL  # model/spec_meta.py
_.DEPRECATED  # model/spec_meta.py
_.DOCUMENTATION  # model/spec_meta.py
_.EPIC  # model/spec_meta.py
_.FUNCTIONAL_REQUIREMENT  # model/spec_meta.py
_.GITHUB  # cli/options.py
_.IMPLEMENTED  # model/spec_meta.py
_.JUNIT  # cli/options.py
_.MARKDOWN  # cli/options.py
_.PRODUCTION  # cli/options.py
_.REQUIREMENTS  # model/spec_meta.py
_.REVIEW  # cli/options.py
_.SARIF  # cli/options.py
_.UI_SPEC  # model/spec_meta.py
_.USER_STORY  # model/spec_meta.py

# Fields of data the core writes out whole (front matter via model_dump, research facts).
_.actual_effort  # model/spec_meta.py
_.agreements  # model/integration.py
_.category  # model/spec_meta.py
_.estimated_effort  # model/spec_meta.py
_.operation_id  # research/facts.py
_.related  # model/spec_meta.py
_.reviewers  # model/spec_meta.py
_.tags  # model/spec_meta.py

# Public methods of the document model, used by tests and by template authors.
_.section_titles  # documents/model.py
_.slots  # report/json_text.py RecordLayout: how many values a layout takes (tests)

# MCP tools, resources and prompts: registered by the SDK's decorators, called by clients.
_.list_resources  # mcp_server/server.py, the SDK calls it for resources/list
_.list_integrations  # mcp_server/server.py
_.start_interview  # mcp_server/server.py
_.next_questions  # mcp_server/server.py
_.research_note  # mcp_server/server.py
_.research_asyncapi  # mcp_server/server.py
_.plan_integration  # mcp_server/server.py

# Read by Alembic from each migration module (src/interlock/server/migrations/versions/).
_.down_revision
_.branch_labels
_.depends_on
_.downgrade
