"""Channel adapters. Only these modules import a platform library (telegram, wechatpy)."""
