@perf @performance @allure.label.epic:Performance
Feature: Foreign-flow screens polling under load
  As an analyst watching foreign flow on a polling screen
  I want the foreign detail to answer quickly while hundreds of screens poll it
  So that the figures on my screen are never stale by more than a poll

  Contract rule [perf-rest-latency]: REST p95 < 200 ms with 500 clients polling every 2 s.

  @severity:critical @rule:perf-rest-latency
  Scenario: 500 foreign-flow screens poll every 2 seconds
    Given the tracker is ready for load
    When 500 foreign-flow screens poll the foreign detail every 2 seconds for 60 seconds
    Then the load stays within these limits:
      | measure            | limit        |
      | foreign detail p95 | under 200 ms |
      | failures           | under 1 %    |
