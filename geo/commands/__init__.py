"""Sub-commands of the ``rangemap`` CLI, one module each.

Each module exposes ``register(subparsers)`` which adds its parser and sets
``func`` (a callable taking the parsed namespace and returning an exit code).
"""
