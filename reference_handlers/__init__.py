"""Reference Lambda handlers: parse the request, call feedback_core, answer. No business logic.

Each module is one function, deployed as it is by the templates in ``templates/``. Services are
built once per process (at cold start) from environment variables.
"""
