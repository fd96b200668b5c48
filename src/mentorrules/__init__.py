"""mentorrules"""
