"""Shops, products, SKUs and buyers' storefronts."""
