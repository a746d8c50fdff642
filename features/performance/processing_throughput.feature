@perf @performance @allure.label.epic:Performance
Feature: Processing throughput
  As the owner of the tracker
  I want its processing core to keep up with the busiest market with room to spare
  So that market updates never queue up behind the processing

  The figures of the contract's [perf-throughput] and [perf-memory] (docs/CONTRACT.md):
  >= 50,000 messages/s on one core; 50,000 messages grow memory by < 50 MB. Measured here on
  the reference tracker's processing core, not on the tracker under test, so it names no rule.

  @severity:critical
  Scenario: The processing core keeps up with a busy market
    When the processing core handles 200,000 market messages
    Then the processing stays within these limits:
      | measure             | limit                  |
      | throughput          | at least 50,000 msg/s  |
      | memory growth       | under 50 MB            |
