@trading_flow @allure.label.epic:TradingFlow
Feature: The market for API callers
  As the developer of a desk's own tool
  I want the whole market in one answer, and the volume statistics of every stock in another
  So that my tool refreshes with one request, not one per board

  Contract rules [rest-snapshot] and [rest-volume-stats]: the snapshot maps each symbol to its
  session stats and price, each index id to its index, with the foreign summary and the
  derivatives; the volume statistics list the session stats of every symbol.

  @severity:critical @rule:rest-snapshot
  Scenario: One market snapshot holds every board
    Given a trading day has left volume, prices, foreign flow, indices, futures and alerts behind
    When an API caller asks for the market snapshot
    Then the caller receives a market snapshot holding:
      | board             | entry     |
      | session volume    | VNM       |
      | price board       | VNM       |
      | index board       | VN30      |
      | foreign flow      | FPT       |
      | derivatives board | VN30F2412 |

  @severity:critical @rule:rest-volume-stats
  Scenario: The volume statistics list every traded stock with its classes
    Given the best bid for VNM is 80.0 and the best ask is 80.5
    When the exchange reports a trade of 1,000 VNM at 80.5
    And the exchange reports a trade of 300 FPT at 120.0
    Then the volume statistics list:
      | symbol | bought actively | sold actively | neutral | total |
      | VNM    | 1,000           | 0             | 0       | 1,000 |
      | FPT    | 0               | 0             | 300     | 300   |
