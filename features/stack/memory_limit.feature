@docker @stack @allure.label.epic:Stack
Feature: The tracker lives within the memory its container is given
  As a platform engineer sizing the tracker's container
  I want a long, busy session to fit in a modest memory limit
  So that the tracker is never killed by the engine in the middle of trading

  Contract rule: 50,000 upstream messages grow the tracker's memory by less than 50 MB.

  @slow @severity:normal
  Scenario: A memory-limited tracker keeps up with a long replay
    Given the tracker's container is limited to 128 MB of memory
    When the exchange replays 50,000 market messages
    Then the tracker's container has not run out of memory
    And the tracker has received all 50,000 market messages
