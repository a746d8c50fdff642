@docker @stack @allure.label.epic:Stack
Feature: Dashboards follow the exchange feed's container going away and coming back
  As a trader watching a dashboard served from containers
  I want to be told when the exchange feed's container goes away and when it is back
  So that I never mistake a frozen screen for a quiet market

  Contract rule: when the SSI stream is lost every client is told the feed is
  disconnected; once the tracker has reconnected it announces the feed is connected.

  @severity:critical @rule:ws-status
  Scenario: Stopping the exchange feed's container is announced to dashboards
    Given a dashboard is connected
    When the exchange feed's container stops
    Then the dashboard is told the feed is disconnected

  @severity:critical @rule:ws-status @rule:outage-recovery
  Scenario: Starting the exchange feed's container again brings back the feed and its data
    Given a dashboard is connected
    And the exchange feed's container was stopped and started again
    When the exchange reports a trade of 1,000 VNM at 80.5
    Then the dashboard is told the feed is connected again
    And the dashboard receives the trade of VNM
