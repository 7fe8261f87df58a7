"""Development and test tooling, never installed in production (site_core.settings.production).

- `demo/`: the demo site (`manage.py load_demo_content`, which `make run` calls);
- `bulk/`: realistic volume for performance work (`manage.py generate_bulk_content`);
- `stack.py`, `faultproxy.py`, `nginx.py`: the production-shaped stack (`make stack`, tests/stack/).
"""
