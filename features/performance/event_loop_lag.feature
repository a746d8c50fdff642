@perf @performance @reference @allure.label.epic:Performance
Feature: Event-loop lag under a steady market
  As the owner of the reference tracker
  I want its event loop to stay responsive while the market streams
  So that no timer, throttle window or client waits behind the processing

  Contract rule [perf-loop-lag]: event-loop lag under 1 ms at 5,000 messages per second. The
  contract names no way for a tracker to report its loop lag, so this reads the reference
  tracker's own histogram of how late its loop wakes a timer (tracker/loop_lag.py): @reference,
  skipped on any other tracker.

  @severity:normal @rule:perf-loop-lag
  Scenario: The event loop stays responsive at 5,000 messages per second
    When the exchange sends 5,000 market messages per second for 10 seconds
    Then the tracker's event loop stays within these limits:
      | measure            | limit                |
      | message rate       | at least 4,500 msg/s |
      | event-loop lag p99 | under 1 ms           |
