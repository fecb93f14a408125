import os
import subprocess
import sys

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "x7Hq-3vP9_wL2mZr8TnB4yKc6uJd1sEa5fGh0iVo2pQ7lN3bX9mC4zR6tY8wU1eI",
    "ALLOWED_HOSTS": "hemicycle.example.org",
    "SITE_URL": "https://hemicycle.example.org",
    "TESTING": "0",
}


def test_check_deploy_is_clean_with_the_documented_production_variables():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "-m", "hemicycle", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
