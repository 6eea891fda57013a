"""Present: what people read, from the results of the earlier stages.

Takes scoring runs, designations, selections and rounds. Prints to the terminal
(``terminal``); makes the analyst's tables and writes CSV in the Dutch Excel dialect and
Excel workbooks (``tables``); draws the maps (``maps``) and writes the Dutch report for the
bestuurlijk overleg (``report`` with ``templates/``), both showing optional result tables
(``overlays``); gathers every file of a round folder (``round_folder``). Hands on writers:
file name -> function that writes it.
"""
