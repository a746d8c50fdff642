@perf @performance @allure.label.epic:Performance
Feature: A reconnect storm
  As the operator of screens on flaky networks
  I want every screen that drops and reconnects to be let back in at once
  So that a network blip does not turn into an outage of the screens

  @severity:normal
  Scenario: 300 dashboards reconnect every 10 seconds
    Given the tracker is ready for load
    When 300 dashboards reconnect every 10 seconds for 60 seconds
    Then every reconnect succeeds
    And the load stays within these limits:
      | measure            | limit        |
      | reconnect time p95 | under 500 ms |
      | failures           | under 1 %    |
