@stack @allure.label.epic:Stack
Feature: A tracker the suite starts is configured by the contract's variables alone
  As a team pointing the suite at its own tracker
  I want my tracker to get the contract's environment and nothing of my shell
  So that a variable left over in my shell never changes what the suite verifies

  Contract rule [config-env]: a tracker is configured by the variables of the contract only, and
  a tracker the suite starts gets exactly those (plus PATH, HOME and LANG), never the rest of the
  caller's environment. What reaches it is judged by its behaviour, not by reading its environment.

  @rule:config-env
  Rule: The suite's own environment does not reach the tracker

    @severity:critical
    Example: A token in the suite's own environment does not lock dashboards out
      Given the suite's own environment sets WS_AUTH_TOKEN to left-over-token
      When a dashboard connects without a token
      And the exchange reports a trade of 1,000 VNM at 80.5
      Then the dashboard receives the trade of VNM

    @severity:normal
    Example: Extra symbols in the suite's own environment are not followed
      Given the suite's own environment sets EXTRA_SYMBOLS to E1VFVN30
      When the exchange reports a trade of 1,000 E1VFVN30 at 25.5
      And the exchange reports a trade of 100 ACB at 25.0
      Then the market snapshot shows ACB
      And E1VFVN30 appears nowhere in the market snapshot

    @severity:normal
    Example: A connection limit in the suite's own environment does not turn dashboards away
      Given the suite's own environment sets WS_MAX_CONNECTIONS_PER_IP to 1
      And a dashboard is connected
      When another dashboard connects from the same address
      And the exchange reports a trade of 1,000 VNM at 80.5
      Then the dashboard receives the trade of VNM
