@docker @stack @allure.label.epic:Stack
Feature: The tracker's container restarts and stops without stranding dashboards
  As a platform engineer who redeploys the tracker's container during the session
  I want dashboards to be let go politely and to get data again after a restart
  So that a deployment is a blip for traders, not an outage

  Contract rule: on shutdown the tracker closes its clients with code 1001 (going away).

  @severity:critical @rule:subscribe
  Scenario: Dashboards get data again after the tracker's container restarts
    Given a dashboard is connected
    And the tracker's container has restarted
    When the dashboard reconnects
    And the exchange reports a trade of 1,000 VNM at 80.5
    Then the dashboard receives the trade of VNM

  @severity:critical @rule:ws-shutdown
  Scenario: Stopping the tracker's container lets dashboards go within the grace period
    Given a dashboard is connected
    When the tracker's container is stopped with a 10 second grace period
    Then the dashboard is closed because the tracker is going away
    And the tracker's container exited on its own within the grace period
