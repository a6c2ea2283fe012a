"""The typed domain: findings today; the integration model and spec metadata later."""
