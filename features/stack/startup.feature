@docker @stack @allure.label.epic:Stack
Feature: The tracker comes up in containers beside its exchange feed
  As a platform engineer deploying the tracker as a container
  I want it to come up healthy and subscribed, whichever container starts first
  So that the start order of a deployment never decides whether traders see data

  Contract rule: the tracker answers its health check, subscribes to trades, quotes,
  foreign room, indices and bars, and retries a missing feed with a growing backoff.

  @severity:blocker @rule:rest-health @rule:subscribe
  Scenario: The stack comes up healthy and subscribed
    Given the tracker and the exchange feed run in their own containers
    Then the tracker reports itself healthy
    And the exchange feed sees the tracker subscribed to every market data channel

  @slow @severity:critical @rule:subscribe
  Scenario: A tracker started before its exchange feed connects once the feed appears
    Given the exchange feed's container is stopped
    And the tracker's container starts while the exchange feed is down
    Then the tracker keeps running and waits for the exchange feed
    When the exchange feed's container starts again
    Then the exchange feed sees the tracker subscribed to every market data channel
