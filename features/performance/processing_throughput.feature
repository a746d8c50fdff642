@perf @performance @allure.label.epic:Performance
Feature: Processing throughput
  As the owner of the tracker
  I want it to keep up with the busiest market with room to spare
  So that market updates never queue up behind the processing

  Contract rules [perf-throughput] and [perf-memory] (docs/CONTRACT.md): >= 50,000 upstream
  messages/s on one core, measured on the tracker under test through its upstream; 50,000
  messages grow memory by < 50 MB.

  @severity:critical @rule:perf-throughput @rule:perf-memory
  Scenario: The tracker keeps up with a busy market
    When the exchange sends 200,000 market messages as fast as the tracker takes them
    Then the processing stays within these limits:
      | measure             | limit                  |
      | throughput          | at least 50,000 msg/s  |
      | memory growth       | under 50 MB            |
