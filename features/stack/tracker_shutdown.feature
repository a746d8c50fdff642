@stack @allure.label.epic:Stack
Feature: The tracker lets every screen go when it is told to stop
  As a platform engineer who stops the tracker for a deployment
  I want every screen let go politely and the tracker gone promptly
  So that screens reconnect at once and a deployment never hangs on the tracker

  Contract rule [ws-shutdown]: on SIGTERM the tracker closes its clients with code 1001 (going
  away) and exits within 10 s. On live the suite sends SIGTERM to the tracker's process; on wired,
  where the tracker has no process of its own, it calls uvicorn's own SIGTERM handler in process.

  @severity:critical @rule:ws-shutdown
  Scenario: Told to terminate, the tracker closes every screen as going away and exits within 10 seconds
    Given these screens are connected:
      | screen              |
      | dashboard           |
      | foreign-flow screen |
      | index screen        |
      | alert screen        |
    When the tracker is told to terminate
    Then every screen is closed because the tracker is going away
    And the tracker has exited within 10 seconds
