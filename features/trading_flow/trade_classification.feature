@trading_flow @allure.label.epic:TradingFlow @rule:classify
Feature: Classifying trades as active buying or active selling
  As a trader watching the VN30 basket
  I want every trade classified by the side that crossed the spread
  So that I can see whether buyers or sellers are driving the price

  Contract rule: a continuous trade at or above the best ask is active buying, at or below
  the best bid active selling, anything else neutral; auction trades are always neutral.

  Rule: In continuous trading a trade is judged against the latest best bid and ask

    @smoke @severity:blocker
    Scenario Outline: A continuous trade at <price> counts as <side>
      Given the best bid for VNM is 80.0 and the best ask is 80.5
      When the exchange reports a trade of 1,000 VNM at <price>
      Then VNM has <buy> shares bought actively, <sell> sold actively and <neutral> neutral

      Examples: at or above the ask
        | price | side          | buy   | sell  | neutral |
        | 80.5  | active buying | 1,000 | 0     | 0       |
        | 81.0  | active buying | 1,000 | 0     | 0       |

      Examples: at or below the bid
        | price | side           | buy | sell  | neutral |
        | 80.0  | active selling | 0   | 1,000 | 0       |
        | 79.5  | active selling | 0   | 1,000 | 0       |

      Examples: inside the spread
        | price  | side    | buy | sell | neutral |
        | 80.2   | neutral | 0   | 0    | 1,000   |
        | 80.499 | neutral | 0   | 0    | 1,000   |
        | 80.001 | neutral | 0   | 0    | 1,000   |

    @severity:normal
    Scenario Outline: With a best ask of <ask>, a continuous trade above it counts as <side>
      Given the best bid for VNM is 80.0 and the best ask is <ask>
      When the exchange reports a trade of 1,000 VNM at 80.5
      Then VNM has <buy> shares bought actively, <sell> sold actively and <neutral> neutral

      Examples: an ask of 0 is no ask
        | ask   | side          | buy   | sell | neutral |
        | 0     | neutral       | 0     | 0    | 1,000   |

      Examples: an ask of one VND is an ask
        | ask   | side          | buy   | sell | neutral |
        | 0.001 | active buying | 1,000 | 0    | 0       |

    @severity:critical
    Example: A trade before any quote is neutral
      Given no quote has been seen for FPT
      When the exchange reports a trade of 500 FPT at 120.0
      Then FPT has 0 shares bought actively, 0 sold actively and 500 neutral

  @rule:quotes
  Rule: A message carrying both a trade and a quote applies the quote first

    @severity:critical
    Scenario Outline: A trade at <price> that comes with a new quote counts as <side> against that quote
      Given the best bid for VNM is 79.0 and the best ask is 79.5
      When the exchange reports a trade of 1,000 VNM at <price> in one message with a best bid of 80.5 and a best ask of 81.0
      Then VNM has <buy> shares bought actively, <sell> sold actively and <neutral> neutral

      Examples:
        | price | side           | buy   | sell  | neutral |
        | 81.0  | active buying  | 1,000 | 0     | 0       |
        | 80.5  | active selling | 0     | 1,000 | 0       |
        | 80.7  | neutral        | 0     | 0     | 1,000   |

    @severity:critical
    Example: A trade at the ask of its own quote is active buying, with no quote before it
      Given no quote has been seen for FPT
      When the exchange reports a trade of 500 FPT at 120.5 in one message with a best bid of 120.0 and a best ask of 120.5
      Then FPT has 500 shares bought actively, 0 sold actively and 0 neutral

    @severity:normal
    Example: The quote of such a message holds for the trades after it
      Given the best bid for VNM is 79.0 and the best ask is 79.5
      When the exchange reports a trade of 100 VNM at 81.0 in one message with a best bid of 80.5 and a best ask of 81.0
      And the exchange reports a trade of 1,000 VNM at 80.5
      Then VNM has 100 shares bought actively, 1,000 sold actively and 0 neutral

  Rule: Auction trades are neutral at any price

    @severity:critical
    Scenario Outline: A trade in the <session> auction at <price> is neutral
      Given the best bid for VNM is 80.0 and the best ask is 80.5
      When the exchange reports a trade of 2,000 VNM at <price> in the <session> session
      Then VNM has 0 shares bought actively, 0 sold actively and 2,000 neutral

      Examples:
        | session | price |
        | ATO     | 80.5  |
        | ATO     | 80.0  |
        | ATC     | 81.0  |
        | ATC     | 79.5  |

  @rule:session-stats
  Rule: Values are counted in VND and every symbol is aggregated on its own

    @severity:critical
    Example: The value of an active buy is price times volume in VND
      Given the best bid for VNM is 80.0 and the best ask is 80.5
      When the exchange reports a trade of 1,000 VNM at 80.5
      Then the value bought actively in VNM is 80,500,000 VND

    @severity:critical
    Example: The value of active selling adds up each trade's price times volume in VND
      Given the best bid for VNM is 80.0 and the best ask is 80.5
      When the exchange reports a trade of 1,000 VNM at 80.0
      And the exchange reports a trade of 500 VNM at 79.9
      Then the value sold actively in VNM is 119,950,000 VND

    @severity:normal
    Example: One share sold one VND below a round price is worth exactly that many VND
      Given the best bid for VNM is 80.0 and the best ask is 80.5
      When the exchange reports a trade of 1 VNM at 79.999
      Then the value sold actively in VNM is 79,999 VND

    @smoke @severity:critical
    Example: Trades in different symbols do not mix
      Given the best bid for VNM is 80.0 and the best ask is 80.5
      And the best bid for FPT is 120.0 and the best ask is 120.5
      When the exchange reports a trade of 1,000 VNM at 80.5
      And the exchange reports a trade of 300 FPT at 120.0
      Then VNM has 1,000 shares bought actively, 0 sold actively and 0 neutral
      And FPT has 0 shares bought actively, 300 sold actively and 0 neutral
