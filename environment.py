"""behave's hooks for the suite; behave executes this file, the logic lives in support/behave_hooks.py."""

from __future__ import annotations

from support.bdd import bind_behave
from support.behave_hooks import (
    after_all,
    after_scenario,
    before_all,
    before_feature,
    before_scenario,
    before_step,
)

bind_behave()  # before behave executes steps/*.py, so each step lands in behave's registry too

__all__ = ["after_all", "after_scenario", "before_all", "before_feature", "before_scenario", "before_step"]
